"""The profiles' body walker on the page's shared lxml tree."""

from __future__ import annotations

from lxml import etree

from crawler.bodyreader import BodyReader, pruned_copy
from crawler.htmltree import parse_html

PAGE = """<html><body><div class="post-content">
<div>Sáng 17/3, tỉnh họp<br>về kế hoạch 112/KH-UBND.</div>
<div class="box-share">Chia sẻ Facebook</div>
<figure><img src="a.jpg"><figcaption>Quang cảnh hội nghị</figcaption></figure>
<p><em>Ảnh minh hoạ</em> và lời dẫn tiếp theo của bài viết.</p>
<p class="author">Minh Khang</p> đoạn cuối
</div></body></html>"""


def test_blocks_captions_and_noise() -> None:
    tree = parse_html(PAGE)
    assert tree is not None
    root = tree.xpath("//div[@class='post-content']")[0]
    blocks = BodyReader().read(root)
    texts = [(b.kind, b.text) for b in blocks]
    assert ("para", "Sáng 17/3, tỉnh họp") in texts and (
        "para",
        "về kế hoạch 112/KH-UBND.",
    ) in texts
    assert ("caption", "Quang cảnh hội nghị") in texts
    assert not any("Chia sẻ" in text for _, text in texts)
    assert ("para", "Ảnh minh hoạ và lời dẫn tiếp theo của bài viết.") in texts


def test_a_pruned_copy_leaves_the_shared_tree_as_it_was() -> None:
    tree = parse_html(PAGE)
    assert tree is not None
    before = etree.tostring(tree)
    root = tree.xpath("//div[@class='post-content']")[0]
    story = pruned_copy(root, tree.xpath("//p[@class='author']"))
    texts = [b.text for b in BodyReader().read(story)]
    assert "Minh Khang" not in texts and "đoạn cuối" in texts  # the tail text stays
    assert etree.tostring(tree) == before
