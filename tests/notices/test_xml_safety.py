"""parse_xml refuses what XXE and entity-expansion attacks need, never touches files or the
network, and still reads real CAP alerts, which the OASIS schema then accepts or rejects."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

from tests.support import DATA
from tests.xml_safety import RejectedXML, parse_xml

CAP_DIR = DATA / "cap"
EXAMPLES = ["thunderstorm.cap", "wcatwc-warning.cap", "earthquake-iso8859-1.cap"]


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(parse_xml((CAP_DIR / "CAP-v1.2.xsd").read_bytes()))


@pytest.fixture
def http_server():
    """A local server that records every request made to it: nothing should reach it."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_the_xxe_attack_sample_is_refused_with_a_chinese_message():
    with pytest.raises(RejectedXML, match="实体") as refused:
        parse_xml((CAP_DIR / "xxe-attack.cap").read_bytes())
    assert isinstance(refused.value, ValueError)
    assert "root:" not in str(refused.value)  # nothing of /etc/passwd


def test_a_local_file_entity_is_neither_read_nor_leaked(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    document = (
        f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<alert><note>&xxe;</note></alert>"
    ).encode()
    with pytest.raises(RejectedXML) as refused:
        parse_xml(document)
    assert "TOP-SECRET-42" not in str(refused.value)


def test_nothing_is_fetched_from_the_network(http_server):
    """libxml2 2.14 (bundled with lxml 6) has no HTTP client at all; this guards against a build
    that has one, where only no_network and load_dtd=False would keep the parser offline."""
    base, requests = http_server
    external_dtd = f'<!DOCTYPE alert SYSTEM "{base}/evil.dtd"><alert>safe</alert>'.encode()
    assert parse_xml(external_dtd).text == "safe"  # a DTD that is never loaded is harmless
    remote_entity = (
        f'<!DOCTYPE alert [<!ENTITY % remote SYSTEM "{base}/remote.dtd"> %remote;'
        f'<!ENTITY xxe SYSTEM "{base}/payload">]><alert>&xxe;&leak;</alert>'
    ).encode()
    with pytest.raises(RejectedXML):
        parse_xml(remote_entity)
    assert requests == []


def test_an_entity_expansion_bomb_is_refused():
    levels = "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' if n else '<!ENTITY l0 "lol">' for n in range(10)
    )
    with pytest.raises(RejectedXML):
        parse_xml(f"<!DOCTYPE bomb [{levels}]><bomb>&l9;</bomb>".encode())


def test_malformed_xml_is_refused_with_a_chinese_message():
    with pytest.raises(RejectedXML, match="XML格式错误"):
        parse_xml(b"<alert><identifier>1</alert>")


@pytest.mark.parametrize("name", EXAMPLES)
def test_real_alerts_parse_and_validate(schema, name):
    root = parse_xml((CAP_DIR / name).read_bytes())
    assert root.tag == "{urn:oasis:names:tc:emergency:cap:1.2}alert"
    schema.assertValid(root)


def test_an_alert_without_its_scope_parses_but_fails_validation(schema):
    root = parse_xml((CAP_DIR / "invalid.cap").read_bytes())
    assert not schema.validate(root)
    assert "scope" in str(schema.error_log.last_error)
