#!/usr/bin/env python3
"""An S3 server that verifies SigV4 signatures and signed payloads, for the S3 export tests.

s3rver (the npm server the other S3 tests use) checks that an access key id exists but not the
signature (its source: "V4 signatures have incomplete support"), so a wrong secret passes there.
moto's server, with IAM authentication on, recomputes each request's signature with botocore
and answers SignatureDoesNotMatch when it differs. moto does not check that the body's SHA-256
is the x-amz-content-sha256 the signature covers, which AWS S3 and MinIO do
(XAmzContentSHA256Mismatch); PayloadHashCheck below adds that check in front of moto, and, as
this project's uploads must sign their payload, refuses UNSIGNED-PAYLOAD too.

Usage: moto_server.py PORT BUCKET READY_FILE
Serves on 127.0.0.1:PORT (0: a port the OS picks); creates an IAM user allowed s3:*, an access key
and BUCKET (these first requests are the unauthenticated ones moto allows), writes {"port": ...,
"accessKeyId": ..., "secretAccessKey": ...} to READY_FILE (a rename: whole or absent), and serves
until killed.
"""
import hashlib
import io
import json
import os
import sys
import threading

# Requests before this count are not authenticated: exactly the four set-up calls below.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"

import boto3  # noqa: E402  (after the environment moto reads at import)
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
MISMATCH = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>XAmzContentSHA256Mismatch</Code>'
            b"<Message>The provided 'x-amz-content-sha256' header does not match what was computed."
            b"</Message></Error>")


class PayloadHashCheck:
    """WSGI middleware: a request that declares x-amz-content-sha256 must carry that body."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        declared = environ.get("HTTP_X_AMZ_CONTENT_SHA256")
        if declared is None:  # IAM calls (set-up only) do not declare one
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if hashlib.sha256(body).hexdigest() != declared:
            start_response("400 Bad Request", [("Content-Type", "application/xml"),
                                               ("Content-Length", str(len(MISMATCH)))])
            return [MISMATCH]
        return self.app(environ, start_response)


def create_keys_and_bucket(endpoint: str, bucket: str) -> dict:
    setup = {"endpoint_url": endpoint, "region_name": "us-east-1",
             "aws_access_key_id": "setup", "aws_secret_access_key": "setup"}
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="medvqa")
    iam.put_user_policy(UserName="medvqa", PolicyName="s3", PolicyDocument=json.dumps(POLICY))
    key = iam.create_access_key(UserName="medvqa")["AccessKey"]
    boto3.client("s3", **setup).create_bucket(Bucket=bucket)
    return {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}


def main() -> None:
    port, bucket, ready_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = PayloadHashCheck(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True)
    port = server.server_port  # the one the OS picked, for 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    keys = create_keys_and_bucket(f"http://127.0.0.1:{port}", bucket)
    with open(ready_file + ".tmp", "w") as out:
        json.dump({"port": port, **keys}, out)
    os.rename(ready_file + ".tmp", ready_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
