"""The shared set-up on one machine, as deployed (issue 18): nginx in front of two Streamlit servers
on one PostgreSQL database, with login through an OIDC provider. Municipal IT can try it here
before building their own; the browser test through the proxy (tests/test_browser_proxy.py) starts
exactly this.

    .venv/bin/python -m deploy.local --database-url postgresql+psycopg://…   (or as root without it:
    a throw-away PostgreSQL cluster is started, scripts/pg_throwaway.sh)

Then open http://127.0.0.1:8080 and log in as anna (beheerder), bram (invuller) or carla (lezer) of
Voorbeeldstad at the test provider (oidc-provider-mock: type the name, click Authorize). With
`--secrets FILE` the servers use your own `[auth]` instead of the test provider; its redirect_uri
must then be this proxy's address + /oauth2callback.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NGINX = os.environ.get("WIJKMODEL_NGINX", "/usr/sbin/nginx")
PEOPLE = {"anna": "beheerder", "bram": "invuller", "carla": "lezer"}
"""The test provider's accounts and their role in the demo municipality (subject → role)."""
MUNICIPALITY = "Voorbeeldstad"


@dataclass(frozen=True)
class Setup:
    """What runs: the proxy's address (the one to open), each server's own address, the database."""

    url: str
    servers: Mapping[str, str]
    database_url: str
    issuer: str


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    """Wait until `url` answers 200 (Streamlit's /_stcore/health, through the proxy or not)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback address
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} antwoordt niet; zie {log}")
        time.sleep(0.2)  # the poll interval of this wait (no fixed wait)


def nginx_config(directory: Path, port: int, ports: Mapping[str, int]) -> Path:
    """nginx.conf for this set-up from local.conf.template (the proxy part: wijkmodel-proxy.conf)."""
    text = (HERE / "nginx" / "local.conf.template").read_text(encoding="utf-8")
    for name, value in {
        "@DIR@": str(directory),
        "@HERE@": str(HERE / "nginx"),
        "@PORT@": str(port),
        "@PORT_A@": str(ports["a"]),
        "@PORT_B@": str(ports["b"]),
    }.items():
        text = text.replace(name, value)
    path = directory / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _secrets(path: Path, redirect_uri: str, issuer: str, cookie_secret: str) -> None:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        'client_id = "wijkmodel"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )


def _prepare_database(database_url: str, issuer: str) -> None:
    """The schema and the demo municipality (one process, before the servers: no two servers
    migrating at once), and the test provider's people with their roles."""
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": database_url}
    subprocess.run([sys.executable, "-m", "wijkmodel", "demo", "--skip-existing"], check=True, env=env, cwd=ROOT)
    from wijkmodel.storage.accounts import account_for_login, set_role
    from wijkmodel.storage.db import make_engine, make_sessionmaker
    from wijkmodel.storage.municipalities import find_municipality
    from wijkmodel.storage.tables import AccountRole

    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            municipality = find_municipality(session=session, name=MUNICIPALITY)
            if municipality is None:
                raise RuntimeError(f"{MUNICIPALITY} ontbreekt na 'python -m wijkmodel demo'")
            for who, role in PEOPLE.items():
                account = account_for_login(
                    session=session, issuer=issuer, subject=who, email=f"{who}@voorbeeldstad.nl"
                )
                grant = AccountRole(role)
                set_role(session=session, municipality_id=municipality.id, account_id=account.id, role=grant)
    finally:
        engine.dispose()


def _start(stack: ExitStack, command: list[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    out = stack.enter_context(open(log, "wb"))  # noqa: SIM115 - closed by the stack
    process = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT)  # noqa: S603

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    return process


@contextmanager
def running(database_url: str, *, port: int = 0, secrets_file: Path | None = None) -> Iterator[Setup]:
    """Start the set-up (the test provider unless `secrets_file`); stop it all when the block ends."""
    if not Path(NGINX).exists():
        raise RuntimeError(f"nginx ontbreekt op {NGINX}: installeer het met 'apt-get install -y nginx'")
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wijkmodel-deploy-")))
        directory.chmod(0o755)  # nginx's workers (another user when started as root) write their temp files here
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        cookie_secret = secrets.token_hex(32)
        if secrets_file is None:
            from oidc_provider_mock import User, run_server_in_thread

            users = [User(sub=who, claims={"email": f"{who}@voorbeeldstad.nl", "name": who.title()}) for who in PEOPLE]
            provider = stack.enter_context(run_server_in_thread(user_claims=users))
            issuer = f"http://localhost:{provider.server_port}"
            secrets_file = directory / "secrets.toml"
            _secrets(secrets_file, f"{url}/oauth2callback", issuer, cookie_secret)
            _prepare_database(database_url, issuer)
        else:
            issuer = ""
            subprocess.run(
                [sys.executable, "-m", "wijkmodel", "upgrade"],
                check=True,
                env={**os.environ, "WIJKMODEL_DATABASE_URL": database_url},
                cwd=ROOT,
            )
        ports = {"a": free_port(), "b": free_port()}
        env = {
            **os.environ,
            "WIJKMODEL_DATABASE_URL": database_url,
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            # The same secret on both servers: a cookie signed by one is good on the other.
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
        }
        servers = {}
        for name, server_port in ports.items():
            log = directory / f"streamlit-{name}.log"
            command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
            command += ["--server.address", "127.0.0.1", "--server.port", str(server_port)]
            command += ["--secrets.files", str(secrets_file)]
            process = _start(stack, command, log, env)
            servers[name] = f"http://127.0.0.1:{server_port}"
            wait_healthy(f"{servers[name]}/_stcore/health", process, log)
        config = nginx_config(directory, port, ports)
        log = directory / "nginx.log"
        nginx = _start(stack, [NGINX, "-e", "stderr", "-p", str(directory), "-c", str(config)], log, os.environ)
        wait_healthy(f"{url}/_stcore/health", nginx, log)
        yield Setup(url=url, servers=servers, database_url=database_url, issuer=issuer)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster for this run only (as root: scripts/pg_throwaway.sh)."""
    env = {**os.environ, "PGPORT_TEST": str(free_port())}
    out = subprocess.run(  # noqa: S603 - our own script
        ["/bin/bash", str(ROOT / "scripts" / "pg_throwaway.sh")],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    try:
        yield out[0]
    finally:
        subprocess.run(["/bin/bash", str(ROOT / "scripts" / "pg_throwaway.sh"), "stop", out[1]], check=False)  # noqa: S603
        shutil.rmtree(out[1], ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="wijkmodel achter nginx op twee servers (zoals gedeployed).")
    parser.add_argument("--database-url", default=os.environ.get("WIJKMODEL_DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=8080, help="de poort van nginx (standaard 8080)")
    parser.add_argument("--secrets", type=Path, help="uw eigen secrets.toml met [auth] (anders de testinlogdienst)")
    args = parser.parse_args(argv)
    # Stopped by a service manager or `timeout`: clean up as after Ctrl+C (servers, nginx, the cluster).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ExitStack() as stack:
        database_url = args.database_url
        if not database_url.startswith("postgresql"):
            if os.geteuid() != 0:
                parser.error("geef --database-url met een PostgreSQL-database (of start als root)")
            database_url = stack.enter_context(throwaway_postgres())
        setup = stack.enter_context(running(database_url, port=args.port, secrets_file=args.secrets))
        print(f"wijkmodel draait op {setup.url} (servers: {', '.join(setup.servers.values())}).")
        if setup.issuer:
            print("Log in als anna (beheerder), bram (invuller) of carla (lezer). Stoppen: Ctrl+C.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
