"""姓氏笔画 order (portal.names): stroke count, then the GB13000.1 stroke sequence
横竖撇点折, then the following characters — checked against published lists."""

import pytest

from portal.names import stroke_count, stroke_sequence, stroke_sort_key


def in_stroke_order(names):
    return sorted(names, key=stroke_sort_key)


@pytest.mark.parametrize(
    "published",
    [
        # Four strokes each: 王 1121, 毛 3115, 方 4153, 尹 5113, 孔 5215.
        "王毛方尹孔",
        # Seven strokes each: 李 1234521, 杨 1234533, 吴 2511134, 张 5153154,
        # 陈 5215234 (a radical order would put 张 弓 before 李 木).
        "李杨吴张陈",
        # The surnames of the 19th CPC Politburo list (2017, "按姓氏笔画为序"):
        # 丁薛祥、王晨、王沪宁、刘鹤、许其亮、孙春兰、李希、李强、李克强、李鸿忠、
        # 杨洁篪、杨晓渡、汪洋、张又侠、陈希、陈全国、陈敏尔、赵乐际、胡春华、栗战书、
        # 郭声琨、黄坤明、韩正、蔡奇 — e.g. 刘 许 孙 (6), 赵 胡 (9), 栗 郭 (10).
        "丁王刘许孙李杨汪张陈赵胡栗郭黄韩蔡",
    ],
)
def test_published_surname_orders(published):
    assert "".join(in_stroke_order(list(published))) == published
    assert "".join(in_stroke_order(list(reversed(published)))) == published


def test_sequences_use_the_five_basic_strokes_of_gb13000():
    assert stroke_sequence("王") == "1121"
    assert stroke_sequence("孔") == "5215"  # 提 counts as 横, 竖弯钩 as 折
    assert stroke_sequence("小") == "234"  # 竖钩 counts as 竖
    assert stroke_sequence("心") == "4544"  # 卧钩 is a 折
    assert stroke_sequence("人") == "34"  # 捺 counts as 点
    assert stroke_count("皙") == 13 and stroke_sequence("皙") == ""  # dropped: 12≠13


def test_first_differing_stroke_decides_within_one_count():
    # 王 (横 first) before 文 (点 first); 林 (second stroke 竖) before 欧 (撇).
    assert in_stroke_order(["文", "王"]) == ["王", "文"]
    assert in_stroke_order(["欧", "林"]) == ["林", "欧"]


def test_following_characters_are_compared_in_turn():
    names = ["李大鸣", "洪少东", "王小宁", "欧阳少东", "李一鸣", "丁小宁"]
    assert in_stroke_order(names) == [
        "丁小宁",  # 丁 2 strokes
        "王小宁",
        "李一鸣",  # 李 alike: 一 (1) before 大 (3)
        "李大鸣",
        "欧阳少东",  # the first character only: 欧 8 before 洪 9
        "洪少东",
    ]


def test_single_character_given_names_are_not_padded():
    # People's congresses compare the second character as it is (按姓名笔画):
    # 田大利 (大 3) before 田富 (富 12); party congresses would pad 田富 first.
    assert in_stroke_order(["田富", "田大利"]) == ["田大利", "田富"]


def test_rare_and_unknown_characters_sort_deterministically():
    # 㐀 has a count (Unihan) but no sequence: after the known 5-stroke 石.
    assert stroke_count("㐀") == 5
    assert in_stroke_order(["㐀", "石"]) == ["石", "㐀"]
    # The middle dot of transliterated names takes no part in the order.
    assert stroke_sort_key("阿卜杜·热合曼") == stroke_sort_key("阿卜杜热合曼")
    assert in_stroke_order(["A", "丁"]) == ["丁", "A"]
