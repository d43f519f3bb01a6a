"""TLS: the client verifies the server's certificate by default, takes a CA bundle, and says in
words a person can read when a certificate is not trusted.

A real uvicorn serves the embedded server over TLS on 127.0.0.1 with a certificate from a test
CA (trustme): one server whose certificate names 127.0.0.1, one whose certificate names another
host, and one that speaks plain HTTP.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
import uvicorn

from station.api import errors
from station.api.client import StationClient
from station.server.app import ServerSettings, create_app
from station.server.run import EmbeddedServer


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="station test CA")


@pytest.fixture(scope="module")
def ca_bundle(ca, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


class TlsServer:
    """The embedded server under uvicorn with TLS, in a thread, on 127.0.0.1."""

    def __init__(self, app, cert: trustme.LeafCert, folder: Path) -> None:
        key, chain = folder / "key.pem", folder / "chain.pem"
        cert.private_key_pem.write_to_path(str(key))
        cert.cert_chain_pems[0].write_to_path(str(chain))
        for extra in cert.cert_chain_pems[1:]:
            extra.write_to_path(str(chain), append=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                                ssl_keyfile=str(key), ssl_certfile=str(chain))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the TLS server did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def app():
    application = create_app(ServerSettings())
    yield application
    application.state.store.close()


@pytest.fixture(scope="module")
def tls(app, ca, tmp_path_factory) -> Iterator[str]:
    server = TlsServer(app, ca.issue_cert("127.0.0.1"), tmp_path_factory.mktemp("tls"))
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def tls_other_name(app, ca, tmp_path_factory) -> Iterator[str]:
    server = TlsServer(app, ca.issue_cert("print.example.org"), tmp_path_factory.mktemp("other"))
    yield server.url
    server.stop()


async def a_session(client: StationClient) -> None:
    await client.login_pin("1234")
    jobs = await client.jobs()
    assert jobs.count > 0
    await client.revoke()


async def test_default_verification_refuses_a_certificate_from_an_unknown_ca(tls):
    async with StationClient(tls) as client:  # verify=True: the system's CAs only
        with pytest.raises(errors.ServerUnreachable) as raised:
            await client.login_pin("1234")
    error = raised.value
    assert isinstance(error, errors.CertificateNotTrusted)
    assert "certificate could not be verified" in error.human
    assert "not trusted" in error.human
    assert "cannot be reached" not in error.human  # it was reached: it is not trusted
    assert not client.logged_in


async def test_a_ca_bundle_makes_the_certificate_trusted(tls, ca_bundle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DeprecationWarning for verify=<path> either
        client = StationClient(tls, verify=str(ca_bundle))
    async with client:
        await a_session(client)


async def test_verify_false_connects_without_checking(tls):
    async with StationClient(tls, verify=False) as client:
        await a_session(client)


async def test_a_certificate_for_another_name_is_refused_even_from_a_trusted_ca(tls_other_name, ca_bundle):
    async with StationClient(tls_other_name, verify=str(ca_bundle)) as client:
        with pytest.raises(errors.CertificateNotTrusted) as raised:
            await client.login_pin("1234")
    assert "certificate could not be verified" in raised.value.human
    assert "127.0.0.1" in raised.value.human  # the name it was asked for


async def test_https_to_a_plain_http_server_says_tls_failed():
    with EmbeddedServer() as plain:
        url = plain.base_url.replace("http://", "https://")
        async with StationClient(url) as client:
            with pytest.raises(errors.ServerUnreachable) as raised:
                await client.login_pin("1234")
    assert "secure connection" in raised.value.human
    assert not isinstance(raised.value, errors.CertificateNotTrusted)


async def test_a_ca_bundle_that_cannot_be_read_is_said_at_once(tmp_path):
    with pytest.raises(ValueError, match="CA bundle"):
        StationClient("https://127.0.0.1:1", verify=str(tmp_path / "missing.pem"))


async def test_concurrent_calls_over_tls(tls, ca_bundle):
    async with StationClient(tls, verify=str(ca_bundle)) as client:
        await client.login_pin("1234")
        replies = await asyncio.gather(client.jobs(), client.me(), client.projects())
        assert replies[1].username == "alice"


async def test_the_doctor_says_when_the_certificate_is_not_trusted_and_when_it_is(tls, ca_bundle):
    import argparse

    from station import doctor

    login = argparse.Namespace(pin="1234", card=None, user=None, password=None)
    async with StationClient(tls) as client:
        refused = await doctor.examine(client, login, None)
    assert not refused.ok and refused.tls.startswith("not trusted")
    assert "--ca-bundle" in doctor.render(refused)
    async with StationClient(tls, verify=str(ca_bundle)) as client:
        trusted = await doctor.examine(client, login, None)
    assert trusted.ok and trusted.tls == "verified", trusted.reason


async def test_one_tls_context_per_setting_however_many_clients_and_logins(tls, ca_bundle, monkeypatch):
    """Building a context reads the whole CA bundle (about 50 ms): a kiosk builds one per
    setting for the life of the process, not one per login."""
    from station.api import tls as contexts

    built: list[str] = []
    real = ssl.create_default_context

    def counted(*args, **kwargs):
        built.append(str(kwargs.get("cafile") or kwargs.get("capath") or "system"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counted)
    contexts._system.cache_clear()  # start from nothing built in this process
    contexts._with_bundle.cache_clear()
    for _ in range(3):
        async with StationClient(tls, verify=str(ca_bundle)) as client:
            await client.login_pin("1234")
            assert (await client.me()).username == "alice"
            await client.revoke()
        async with StationClient(tls) as client:
            with pytest.raises(errors.CertificateNotTrusted):
                await client.login_pin("1234")
    assert len(built) == 2, built  # the system's trust, and the system's trust plus the bundle
