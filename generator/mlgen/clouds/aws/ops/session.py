"""boto3 clients for one environment, and the translation of AWS errors into messages without tracebacks.

Clients use the SDK's standard retry mode (throttling and transient errors are retried with backoff).
AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) are honoured by boto3 itself; the tests point them at
moto's server.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

from mlgen.ops.errors import OpsError

F = TypeVar("F", bound=Callable[..., Any])
RETRIES = {"mode": "standard", "max_attempts": 6}
# Codes that mean "this endpoint does not offer the API" (moto answers unimplemented calls this way).
UNAVAILABLE_CODES = {"NotImplemented", "UnknownOperationException", "InvalidAction", "501", "500"}
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}


class Clients:
    """Lazily created clients of one region (one session, one retry config)."""

    def __init__(self, region: str) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError as error:
            raise OpsError(
                'this command calls AWS through boto3, which is not installed: pip install "mlgen[aws]"'
            ) from error

        self.region = region
        self._session = boto3.session.Session(region_name=region)
        # AWS_MAX_ATTEMPTS (the SDK's own variable) wins, so a caller can make failures fast.
        retries = {"mode": "standard"} if os.environ.get("AWS_MAX_ATTEMPTS") else RETRIES
        self._config = Config(retries=retries, user_agent_extra="mlgen")
        self._clients: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str) -> Any:
        return self.other_region(service, self.region)

    def other_region(self, service: str, region: str) -> Any:
        """A client of a global service that lives in one region (Cost Explorer: us-east-1)."""
        if (service, region) not in self._clients:
            self._clients[service, region] = self._session.client(
                service, region_name=region, config=self._config
            )
        return self._clients[service, region]


def error_code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    return code or status


def is_unavailable(error: Exception) -> bool:
    return error_code(error) in UNAVAILABLE_CODES or "not yet implemented" in str(error).lower()


def describe_aws_error(error: Exception) -> str:
    """One sentence a person can act on, naming the API action (and the resource when AWS says it)."""
    from botocore.exceptions import (
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ParamValidationError,
        PartialCredentialsError,
    )

    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return (
            "no AWS credentials found: set AWS_PROFILE (aws sso login --profile …) or the AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY variables, then run `mlgen doctor`"
        )
    if isinstance(error, NoRegionError):
        return "no AWS region: set AWS_REGION or the spec's region"
    if isinstance(error, EndpointConnectionError):
        return f"cannot reach AWS ({error}); check the network or AWS_ENDPOINT_URL"
    if isinstance(error, ParamValidationError):
        return f"mlgen built an invalid AWS request: {error}"
    if isinstance(error, ClientError):
        action = error.operation_name
        code = error_code(error)
        message = error.response.get("Error", {}).get("Message", "")
        if message.lstrip().startswith("<"):  # an HTML error page (proxies, emulators): not worth printing
            message = "the endpoint answered with an error page"
        if code in DENIED_CODES:
            return f"access denied to {action}: {message} (grant the action to the role you are using)"
        if code in {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}:
            return f"the AWS session expired during {action}: log in again (aws sso login)"
        if code in {"Throttling", "ThrottlingException", "TooManyRequestsException"}:
            return f"AWS kept throttling {action} after retries: try again in a minute"
        return f"{action} failed: {code}: {message}"
    return str(error)


def translated(function: F) -> F:
    """Turn boto3/botocore errors raised inside ``function`` into OpsError (exit 1, no traceback)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return function(*args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            raise OpsError(describe_aws_error(error)) from error

    return wrapper  # type: ignore[return-value]


def tag_dict(tags: list[dict[str, str]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {item[key]: item[value] for item in tags or []}
