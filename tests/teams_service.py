"""Microsoft's side of a Teams conversation, on loopback: what the Teams tests talk to instead of the cloud.

`BotService` plays the three services the bot meets, on two loopback servers answering alike:
- the issuer of the Bot Connector's tokens: its signing key, created here, served as a JWKS at `/keys`, and
  `token(...)` to sign what Teams would send (the SDK's validator is pointed at these keys: `trust_keys`);
- Entra ID's token service for the bot's own outbound token (`authority`: its OpenID metadata and
  `/oauth2/token`), over HTTPS as MSAL demands, with a certificate the test makes and trusts through
  `REQUESTS_CA_BUNDLE`;
- the Bot Connector at the activity's `serviceUrl` (`url`, plain HTTP on loopback), recording every activity
  the bot sends with the token the bot got.
These are the only fakes; the SDK, its token validation and our app are real.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt import PyJWKClient

APP_ID = "5d1b4c02-7c61-4b6e-9a35-2c4c1f0e8a11"
TENANT = "0c6b5b7e-2f3d-4d6a-8a4e-1e9f5c3b2a77"
KEY_ID = "styrbot-test-key"


class BotService:
    """The issuer, the token service and the Bot Connector on loopback."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.folder = Path(tempfile.mkdtemp(prefix="teams-"))
        self.certificate = self._certificate()
        self.sent: list[tuple[str, dict[str, Any]]] = []  # (path, activity) of what the bot sent
        self._lock = threading.Lock()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, self.folder / "key.pem")
        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), _handler(self)) for _ in range(2)]
        secure, plain = self._servers
        secure.socket = context.wrap_socket(secure.socket, server_side=True)
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{plain.server_address[1]}"
        self.authority = f"https://127.0.0.1:{secure.server_address[1]}/adfs"

    def token(self, *, audience: str = APP_ID, lifetime: int = 600, signer: Any = None) -> str:
        """A token as the Bot Connector sends one, signed with this issuer's key (or `signer`'s)."""
        now = int(time.time())
        claims = {
            "aud": audience,
            "iss": f"https://sts.windows.net/{TENANT}/",
            "tid": TENANT,
            "appid": str(uuid.uuid4()),
            "serviceurl": f"{self.url}/",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, signer or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def activity(self, text: str, **overrides: Any) -> dict[str, Any]:
        """A message activity as Teams sends it, by default in a personal chat."""
        found: dict[str, Any] = {
            "type": "message",
            "id": str(uuid.uuid4()),
            "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
            "channelId": "msteams",
            "serviceUrl": f"{self.url}/",
            "from": {"id": "29:anna", "name": "Anna Andersson", "aadObjectId": "6f2d8c1e-4b7a-4e0f-9c3d-2a1b5e7f9d40"},
            "recipient": {"id": f"28:{APP_ID}", "name": "Styrbot"},
            "conversation": {"id": "a:personal-anna", "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "text": text,
            "locale": "sv-SE",
        }
        return found | overrides

    def replies(self) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            return list(self.sent)

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def _certificate(self) -> Path:
        """A self-signed certificate for 127.0.0.1, and its key, in the service's folder."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        path = self.folder / "certificate.pem"
        path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        (self.folder / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return path

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": KEY_ID, "use": "sig", "alg": "RS256"}]}


def _handler(service: BotService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, data: dict[str, Any], status: int = 200) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/keys":
                self._reply(service.jwks())
            elif self.path.startswith("/adfs/.well-known/openid-configuration"):
                base = service.authority
                token = base + "/oauth2/token"
                self._reply(
                    {"issuer": base, "authorization_endpoint": base + "/oauth2/authorize", "token_endpoint": token}
                )
            else:
                self._reply({}, 404)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/adfs/oauth2/token":
                self._reply({"access_token": "bot-outbound-token", "token_type": "Bearer", "expires_in": 3600})
                return
            if self.headers.get("Authorization") != "Bearer bot-outbound-token":
                self._reply({"error": "unauthorized"}, 401)
                return
            with service._lock:
                service.sent.append((self.path, json.loads(body or b"{}")))
            self._reply({"id": f"reply-{len(service.sent)}"})

    return Handler


def trust_keys(service: BotService) -> None:
    """Point the SDK's token validation at this issuer's keys. The SDK reads the keys of a token's issuer from
    Microsoft's fixed addresses (no setting changes them), through one `PyJWKClient` per address that it
    keeps; giving it ours for those addresses is the one place the tests reach into the SDK."""
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator as validator

    manager = validator.JwtTokenValidator._jwk_client_manager
    for address in (
        f"https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys",
        "https://login.botframework.com/v1/.well-known/keys",
    ):
        manager._cache[address] = validator._JwkClientCacheEntry(PyJWKClient(f"{service.url}/keys"), threading.Lock())
