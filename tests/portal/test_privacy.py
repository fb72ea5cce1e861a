from portal.privacy import MASK, contains_personal_data, scrub_public, scrub_text


def test_scrub_hides_ids_phones_emails_and_contact_ids():
    text = (
        "身份证430102199001011234，旧证430102900101123，手机138 1234 5678、"
        "+86-13912345678，座机(0731)84561234、0731-8456123，"
        "邮箱zhang.san@example.com，微信：zs_2026abc，QQ 12345678"
    )
    scrubbed = scrub_text(text)
    for secret in (
        "430102199001011234",
        "430102900101123",
        "138 1234 5678",
        "13912345678",
        "84561234",
        "8456123",
        "zhang.san@example.com",
        "zs_2026abc",
        "12345678",
    ):
        assert secret not in scrubbed
    assert scrubbed.startswith("身份证" + MASK)
    assert "微信：" + MASK in scrubbed


def test_scrub_keeps_ordinary_numbers():
    text = "2026年投入资金120万元，修复道路3.5公里，惠及1200户。湘政发〔2026〕12号"
    assert scrub_text(text) == text
    assert not contains_personal_data(text)


def test_scrub_public_walks_nested_projections_and_keeps_identifiers():
    projection = {
        "tracking_code": "13812345678",
        "replies": [{"text": "电话13812345678"}],
        "count": 3,
    }
    scrubbed = scrub_public(projection, keep=["tracking_code"])
    assert scrubbed == {
        "tracking_code": "13812345678",
        "replies": [{"text": "电话" + MASK}],
        "count": 3,
    }
