"""Helpers shared by the tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url) -> int:
    """SQL queries of one view of `url`, after a warm-up view: in service the site chrome,
    directory facets and Wagtail's site root paths are already cached."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# The worked example of Aliyun's SMS signature documentation (GET, AccessKey secret testSecret):
# both our client and the stand-in, which sign independently, must reproduce it.
ALIYUN_SIGNATURE_EXAMPLE = {
    "params": {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    },
    "secret": "testSecret",
    "signature": "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
}
