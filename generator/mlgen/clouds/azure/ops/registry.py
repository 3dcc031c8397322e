"""Azure Container Registry: docker login with an Entra ID token, and tag look-ups.

The admin user is off (landing zone), so `docker login` takes an ACR refresh token that the registry issues
for the caller's Entra ID access token (POST /oauth2/exchange); the user name is the null GUID, as `az acr
login --expose-token` does. Tag look-ups exchange that refresh token for a repository-scoped access token.
"""

from __future__ import annotations

from mlgen.clouds.azure.ops.arm import ARM_SCOPE, ArmError, Azure, registry_endpoint
from mlgen.ops.errors import OpsError

TOKEN_USER = "00000000-0000-0000-0000-000000000000"


def refresh_token(azure: Azure, login_server: str) -> str:
    response = azure.http.post(
        f"{registry_endpoint(login_server)}/oauth2/exchange",
        data={"grant_type": "access_token", "service": login_server, "access_token": azure.token(ARM_SCOPE)},
    )
    if response.status_code != 200:
        raise OpsError(
            f"the registry {login_server} refused the Entra ID token ({response.status_code}): the caller "
            "needs AcrPush (push) or AcrPull on it"
        )
    return response.json()["refresh_token"]


def tag_exists(azure: Azure, login_server: str, repository: str, tag: str) -> bool:
    base = registry_endpoint(login_server)
    token = azure.http.post(
        f"{base}/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "service": login_server,
            "scope": f"repository:{repository}:metadata_read",
            "refresh_token": refresh_token(azure, login_server),
        },
    )
    if token.status_code != 200:
        raise OpsError(
            f"the registry {login_server} gave no read token for {repository} ({token.status_code})"
        )
    response = azure.http.get(
        f"{base}/acr/v1/{repository}/_tags/{tag}",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    if response.status_code == 404:
        return False
    if response.status_code != 200:
        raise ArmError(
            "GET", f"{login_server}/{repository}:{tag}", response.status_code, "registry", response.text[:200]
        )
    return True
