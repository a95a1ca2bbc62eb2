"""Prints the Authorization header that AWS's own signer (botocore, Debian python3-botocore;
run with /usr/bin/python3) computes for a request, so that tests can compare it with the one
libcurl sent.

Reads one JSON object on stdin: {"method", "url", "headers": {name: value} (the headers the
request says it signed, x-amz-date included), "body_file" (the body received),
"access_key", "secret_key", "region"}. botocore hashes the body itself for the
x-amz-content-sha256 it signs, so a header that does not match the body changes the result.
"""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

request_json = json.load(sys.stdin)
headers = dict(request_json["headers"])
amz_date = headers.pop("x-amz-date")  # botocore sets it from the clock, frozen below
with open(request_json["body_file"], "rb") as body_file:
    body = body_file.read()
request = AWSRequest(method=request_json["method"], url=request_json["url"], headers=headers,
                     data=body)
signer = S3SigV4Auth(
    Credentials(request_json["access_key"], request_json["secret_key"]), "s3",
    request_json["region"])
with mock.patch("botocore.auth.datetime") as clock:
    clock.datetime.utcnow.return_value = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    signer.add_auth(request)
print(request.headers["Authorization"])
