"""The local outbox reads moto's state over http(s) only (bandit B310: no `file:` or custom schemes)."""

from __future__ import annotations

import pytest

from chalicelib.dev.outbox import read_outbox


@pytest.mark.parametrize("endpoint", ["file:///etc/passwd", "ftp://127.0.0.1/x", "127.0.0.1:5000", ""])
def test_outbox_refuses_an_endpoint_that_is_not_http(endpoint):
    # Given an AWS_ENDPOINT_URL that is not http(s)
    # When the outbox is read / Then nothing is opened
    with pytest.raises(ValueError, match="http"):
        read_outbox(endpoint)


def test_outbox_reads_moto_over_http():
    # Given moto's server with one raw email sent
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        ses = boto3.client("sesv2", region_name="us-east-1", endpoint_url=endpoint,
                           aws_access_key_id="x", aws_secret_access_key="x")
        ses.create_email_identity(EmailIdentity="sunrise.example.test")
        raw = (b"From: visits@sunrise.example.test\r\nTo: a@client.example.test\r\nSubject: Your visit\r\n"
               b"Content-Type: text/plain\r\n\r\nJoin here\r\n")
        ses.send_email(FromEmailAddress="visits@sunrise.example.test",
                       Destination={"ToAddresses": ["a@client.example.test"]}, Content={"Raw": {"Data": raw}})
        # When the outbox is read
        mails = read_outbox(endpoint)
    finally:
        server.stop()
    # Then the mail is there
    assert [(m["to"], m["subject"]) for m in mails] == [("a@client.example.test", "Your visit")]
    assert "Join here" in mails[0]["text"]
