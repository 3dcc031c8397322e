"""HashiCorp go-plugin's side of the handshake, for a gRPC plugin with AutoMTLS.

Terraform starts the plugin with its own client certificate in PLUGIN_CLIENT_CERT; the plugin answers with a
fresh self-signed server certificate on its first stdout line:
`1|6|tcp|127.0.0.1:PORT|grpc|<base64 DER, no padding>` (core protocol 1, plugin protocol 6)."""

from __future__ import annotations

import base64
import datetime
import os
import sys
import threading
import time
from concurrent import futures

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def _server_certificate() -> tuple[bytes, bytes, bytes]:
    """(key PEM, cert PEM, cert DER) for `localhost`, self-signed and usable as its own CA, as go-plugin makes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=24))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        key_pem,
        cert.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.DER),
    )


def _controller_handler(stop: threading.Event) -> grpc.GenericRpcHandler:
    """plugin.GRPCController/Shutdown, which go-plugin calls before it waits for the process to exit."""

    def shutdown(_request: bytes, _context: grpc.ServicerContext) -> bytes:
        stop.set()
        return b""

    return grpc.method_handlers_generic_handler(
        "plugin.GRPCController",
        {
            "Shutdown": grpc.unary_unary_rpc_method_handler(
                shutdown, request_deserializer=lambda b: b, response_serializer=lambda b: b
            )
        },
    )


def serve(register: object) -> None:
    """Start a gRPC server, let `register(server)` add the services, print the handshake line, block.

    With MLGEN_TF_HARNESS_SOCKET set the plugin is a long-lived server instead: plain gRPC on that unix
    socket, which Terraform reaches through TF_REATTACH_PROVIDERS (runner.py) without starting or stopping
    a process per command."""
    socket_path = os.environ.get("MLGEN_TF_HARNESS_SOCKET")
    if socket_path:
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        register(server)  # type: ignore[operator]
        server.add_insecure_port(f"unix:{socket_path}")
        server.start()
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        # Serve until the harness that started this server is gone (closed or not).
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        sys.stderr.write("This binary is a Terraform plugin; Terraform starts it, not a person.\n")
        raise SystemExit(1)
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    stop = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    register(server)  # type: ignore[operator]
    server.add_generic_rpc_handlers((_controller_handler(stop),))
    if client_cert:
        key_pem, cert_pem, cert_der = _server_certificate()
        # Terraform verifies this server against the certificate printed below. The reverse check is left
        # out: go-plugin's client certificate is ECDSA P-521, whose signature scheme gRPC's BoringSSL no
        # longer offers, so a required client certificate fails every handshake. The port is loopback-only.
        creds = grpc.ssl_server_credentials([(key_pem, cert_pem)], require_client_auth=False)
        port = server.add_secure_port("127.0.0.1:0", creds)
        cert_field = base64.b64encode(cert_der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        cert_field = ""
    server.start()
    sys.stdout.write(f"1|6|tcp|127.0.0.1:{port}|grpc|{cert_field}\n")
    sys.stdout.flush()
    stop.wait()
    # Shutdown has been answered once the handler returns; go-plugin then waits for the process to exit
    # (and kills it after 2 s). Nothing here holds state worth a graceful stop.
    time.sleep(0.05)
    os._exit(0)
