"""Tests for bot.sources.listing: WordPress-style listing pages, chrome and appeals skipped."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.models import ListingSelectors, SourceKind
from bot.pipeline.identity import unique
from bot.sources.listing import decode_html, parse_listing

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"

PR_URL = "https://popularresistance.org/category/mass-action/"
ISA_URL = "https://internationalsocialist.net/en/category/americas/latin-america/"

PR_TITLES = [
    "Hundreds Of Thousands Rally Across Spain Against Attack On Public Health",
    "\u2018Robin Hood\u2019 Strikes In France",
    "Tens Of Thousands On The Streets Of Peru In National Strike",
    "More Austerity In 2023 Will Fuel Protests",
    "Peru: General Strike Enters Day Three",
    "Peru: Overthrow Of President Castillo Exposes The Race And Class Divide",
    "Peru: Congress To Advance Elections As Anti-Coup Protests Intensify",
    "Peruvians Resist The Coup: \u2018We Are Here To Support Our President\u2019",
    "Peruvians Continue To Resist As Anti-Coup Protests Enter Second Week",
    "Five Killed By Police During Anti-Coup Protests In Peru",
    "Haitian Women Mobilize On November 25 Against Political Violence",
    "Stubborn Resistance Will Confront Foreign Intervention In Haiti",
    "#Britainisbroken: Trade Unions And Social Movements Rally",
    "Three Years Since 2019 Protests In Iraq, Most Demands Remain Unfulfilled",
    "French Workers Resist Increasing Exploitation",
]
NOT_ARTICLES = (
    "Fundraising",
    "Sign Up",
    "Daily Digest",
    "Donate",
    "Recent Posts",
    "About",
    "Mass Action",
    "A New Era Of Resistance",
    "Support ISA",
    "World Perspectives",
    "Next",
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def page(body: str, url: str = "https://example.org/category/news/") -> list[tuple[str, str]]:
    """(url, title) of each article found in an HTML string."""
    return [(a.url, a.title) for a in parse_listing(body.encode(), url=url).articles]


# --- the Popular Resistance page (block theme) ------------------------------------------------


def test_block_theme_listing_yields_exactly_the_articles() -> None:
    parsed = parse_listing(fixture("popular_resistance_mass_action.html"), url=PR_URL)
    assert parsed.kind is SourceKind.HTML
    assert parsed.title == "Mass Action Archives - Popular Resistance.Org"
    assert [a.title for a in parsed.articles] == PR_TITLES
    for article in parsed.articles:
        assert not any(word in article.title for word in NOT_ARTICLES)
        assert "Continue Reading" not in article.teaser
        assert "donation" not in article.teaser.lower()


def test_block_theme_article_fields() -> None:
    articles = parse_listing(fixture("popular_resistance_mass_action.html"), url=PR_URL).articles
    robin = articles[1]
    assert robin.url == "https://popularresistance.org/robin-hood-strikes-in-france/"
    assert robin.published == datetime(2023, 2, 6, 13, 30, tzinfo=UTC)
    assert robin.author == "Jon Henley"
    assert robin.categories == ("Mass Action",)
    assert robin.guid is None
    assert robin.teaser.startswith("France has been roiled by protests over President Emmanuel")
    assert robin.teaser.endswith("reduce bills for small business owners.")
    last = articles[-1]
    assert last.author == "G. Dunkel"
    assert last.published == datetime(2022, 10, 17, 11, 40, tzinfo=UTC)


def test_block_theme_teasers_match_the_seed_text() -> None:
    text = (FIXTURES / "seed_popular_resistance_mass_action.txt").read_text(encoding="utf-8")
    text = text.split("Mass Action\n\n", 1)[1]
    text = text.split("Urgent End Of Year Fundraising Campaign", 1)[0]
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    expected = [" ".join(teaser.split()) for teaser in paragraphs[1::2]]
    articles = parse_listing(fixture("popular_resistance_mass_action.html"), url=PR_URL).articles
    assert [a.teaser for a in articles] == expected


# --- the ISA page (classic theme, relative links) ---------------------------------------------


def test_classic_theme_listing_resolves_relative_links() -> None:
    parsed = parse_listing(fixture("isa_latin_america.html"), url=ISA_URL)
    assert parsed.title == "Latin America \u2013 International Socialist Alternative"
    assert [(a.url, a.title) for a in parsed.articles] == [
        (
            "https://internationalsocialist.net/en/2023/01/"
            "latin-america-second-pink-tide-what-way-forward/",
            "Latin America: Second \u201cPink Tide\u201d: What Way Forward?",
        ),
        (
            "https://internationalsocialist.net/en/2023/01/peru-mass-revolt-against-coup-continues/",
            "Peru: Mass Revolt Against Coup Continues",
        ),
        (
            "https://internationalsocialist.net/en/2022/12/"
            "defeat-the-coup-of-the-peruvian-oligarchy-against-pedro-castillo/",
            "Defeat the Coup of the Peruvian Oligarchy Against Pedro Castillo!",
        ),
        (
            "https://internationalsocialist.net/en/2022/04/explosive-protests-rock-peru/",
            "Explosive Protests Rock Peru",
        ),
        (
            "https://internationalsocialist.net/en/2020/11/"
            "peru-mass-protests-bring-down-illegitimate-coup-president/",
            "Peru: Mass Protests Bring Down Illegitimate Coup President",
        ),
    ]


def test_classic_theme_article_fields() -> None:
    first = parse_listing(fixture("isa_latin_america.html"), url=ISA_URL).articles[0]
    assert first.published == datetime(2023, 1, 31, 10, 14, 22, tzinfo=UTC)
    assert first.author == "Elan Axelbank"
    assert first.categories == ("Analysis", "Latin America")
    # "[…]" and the "Continue Reading" button are gone.
    assert first.teaser == (
        "Elan Axelbank is a member of Socialist Alternative (England, Wales & Scotland). This "
        "second wave of reformism in power is already proving to be anything but a repetition "
        "of the first. In the late 1990s and early 2000s, propelled by mass movements of the "
        "working class and rural poor, a wave of left-wing electoral victories"
    )


def test_classic_theme_teasers_match_the_seed_text() -> None:
    text = (FIXTURES / "seed_isa_latin_america.txt").read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("Continue Reading") if b.strip()]
    expected = [
        " ".join(block.split("\n\n", 1)[1].split()).removesuffix(" [\u2026]") for block in blocks
    ]
    articles = parse_listing(fixture("isa_latin_america.html"), url=ISA_URL).articles
    assert [a.teaser for a in articles] == expected
    assert [a.title for a in articles] == [block.split("\n\n", 1)[0] for block in blocks]


def test_classic_theme_skips_sidebar_footer_and_script_headlines() -> None:
    articles = parse_listing(fixture("isa_latin_america.html"), url=ISA_URL).articles
    assert len(articles) == 5
    urls = " ".join(a.url for a in articles)
    for not_article in ("donate", "featured-perspectives", "about-isa", "fake-from-script"):
        assert not_article not in urls


# --- encodings --------------------------------------------------------------------------------


def test_windows_1252_declared_only_in_meta_charset() -> None:
    parsed = parse_listing(fixture("kawsachun_windows1252.html"), url="https://kawsachunnews.com/")
    assert parsed.title == "Noticias \u2013 Kawsachun News"
    assert [(a.url, a.title) for a in parsed.articles] == [
        (
            "https://kawsachunnews.com/noticias/2023/01/peru-marcha-cuatro-suyos.html",
            "Per\u00fa: la \u201cMarcha de los Cuatro Suyos\u201d llega a Lima",
        ),
        (
            "https://kawsachunnews.com/noticias/2023/01/bolivia-cochabamba-cabildo.html",
            "Bolivia: cabildo en Cochabamba respalda al Gobierno",
        ),
        (
            "https://kawsachunnews.com/noticias/2023/01/ecuador-conaie-movilizacion.html",
            "Ecuador: la CONAIE anuncia movilizaci\u00f3n",
        ),
    ]
    first = parsed.articles[0]
    assert first.teaser == (
        "Miles de peruanos de comunidades campesinas e ind\u00edgenas llegaron a la capital\u2026 "
        "exigiendo la renuncia de Dina Boluarte."
    )
    assert first.published == datetime(2023, 1, 19, tzinfo=UTC)
    assert parsed.articles[2].published is None


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("caf\u00e9".encode("cp1252"), "text/html; charset=windows-1252", "caf\u00e9"),
        ("caf\u00e9".encode("cp1252"), "text/html; charset=ISO-8859-1", "caf\u00e9"),
        ("\u201cq\u201d".encode("cp1252"), "text/html; charset=iso-8859-1", "\u201cq\u201d"),
        ("caf\u00e9".encode(), "text/html; charset=UTF-8", "caf\u00e9"),
        ("caf\u00e9".encode(), "text/html", "caf\u00e9"),
        ("caf\u00e9".encode(), None, "caf\u00e9"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "text/html; charset=windows-1252", "caf\u00e9"),  # BOM wins
        (b"caf\xe9", None, "caf\u00e9"),  # undeclared and not UTF-8: windows-1252, as browsers
        (b"caf\xe9 \xc3\xa9", None, "caf\u00e9 \u00c3\u00a9"),
        (b"caf\xc3\xa9", "text/html; charset=no-such-codec", "caf\u00e9"),
        (b"caf\xc3\xa9", "text/html; charset=base64", "caf\u00e9"),
    ],
)
def test_decode_html(body: bytes, content_type: str | None, expected: str) -> None:
    assert decode_html(body, content_type) == expected


def test_http_charset_beats_meta_charset() -> None:
    html = '<meta charset="windows-1252"><p>caf\u00e9</p>'.encode()
    assert decode_html(html, "text/html; charset=utf-8").endswith("caf\u00e9</p>")
    assert decode_html(html, None).endswith("caf\u00c3\u00a9</p>")


def test_meta_http_equiv_charset() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>ni\u00f1o</p>'
    ).encode("latin-1")
    assert decode_html(html, None).endswith("ni\u00f1o</p>")


# --- structure --------------------------------------------------------------------------------


def test_bare_headlines_with_excerpts_and_read_more() -> None:
    html = """
    <html><body>
    <nav><h2><a href="/about/">About us</a></h2></nav>
    <div id="content">
      <h2><a href="/2023/01/first-story/">First story</a></h2>
      <p>First teaser.</p><p><a href="/2023/01/first-story/">Read more &raquo;</a></p>
      <h2><a href="/2023/01/second-story/">Second story</a></h2>
      <p>Second teaser, part one.</p><p>Part two.</p>
      <h3><a href="https://elsewhere.org/x">Off-site link</a></h3><p>Not ours.</p>
    </div>
    <footer><h3><a href="/2023/01/footer-story/">Footer story</a></h3></footer>
    </body></html>"""
    parsed = parse_listing(html.encode(), url="https://www.example.org/news/")
    assert [(a.url, a.title, a.teaser) for a in parsed.articles] == [
        ("https://www.example.org/2023/01/first-story/", "First story", "First teaser."),
        (
            "https://www.example.org/2023/01/second-story/",
            "Second story",
            "Second teaser, part one. Part two.",
        ),
    ]


def test_base_href_is_used_for_relative_links() -> None:
    html = """<html><head><base href="https://cdn.example.org/site/"></head><body>
    <article><h2><a href="2023/a/">A</a></h2><p>a</p></article>
    <article><h2><a href="/2023/b/">B</a></h2><p>b</p></article></body></html>"""
    assert page(html) == [
        ("https://cdn.example.org/site/2023/a/", "A"),
        ("https://cdn.example.org/2023/b/", "B"),
    ]


def test_nested_blocks_give_one_article_each() -> None:
    html = """<main>
    <div class="post"><article class="hentry"><h2><a href="/a/">A</a></h2><p>a</p></article></div>
    <div class="post"><article class="hentry"><h2><a href="/b/">B</a></h2><p>b</p></article></div>
    </main>"""
    assert page(html) == [("https://example.org/a/", "A"), ("https://example.org/b/", "B")]


def test_inner_block_without_headline_does_not_hide_its_article() -> None:
    html = """<main>
    <article><header><h2><a href="/a/">A</a></h2></header><div class="entry"><p>aa</p></div>
    </article>
    <article><header><h2><a href="/b/">B</a></h2></header><div class="entry"><p>bb</p></div>
    </article></main>"""
    articles = parse_listing(html.encode(), url="https://example.org/").articles
    assert [(a.title, a.teaser) for a in articles] == [("A", "aa"), ("B", "bb")]


def test_unlinked_headline_uses_the_continue_reading_link() -> None:
    html = """<main>
    <article><h2>Plain title one</h2><p>Teaser one.</p>
      <a href="/one/">Continue Reading</a></article>
    <article><h2>Plain title two</h2><p>Teaser two.</p><a href="/two/">Read more</a></article>
    <article><h2>Appeal</h2><p>Please give.</p><a href="/give/">Donate now</a></article>
    </main>"""
    articles = parse_listing(html.encode(), url="https://example.org/").articles
    assert [(a.url, a.title, a.teaser) for a in articles] == [
        ("https://example.org/one/", "Plain title one", "Teaser one."),
        ("https://example.org/two/", "Plain title two", "Teaser two."),
    ]


def test_appeals_forms_and_chrome_are_not_articles() -> None:
    html = """<body class="archive right-sidebar">
    <header class="site-header">
      <article><h2><a href="/hdr/">Header promo</a></h2></article></header>
    <main>
      <article class="post"><h2><a href="/2023/real-one/">Real one</a></h2><p>r1</p></article>
      <article class="post fundraising-drive">
        <h2><a href="/2023/give-today/">Give today</a></h2><p>We need you.</p></article>
      <article class="post"><h2><a href="/2023/signup/">Join the list</a></h2>
        <form><input type="email" name="EMAIL"></form></article>
      <article class="post"><h2><a href="/donate/">Support our work</a></h2><p>Give.</p></article>
      <article class="post"><h2><a href="https://donorbox.org/x">Year-end drive</a></h2></article>
      <article class="post tag-newsletter category-donations">
        <h2><a href="/2023/real-two/">Real two</a></h2><p>r2</p></article>
      <article class="post"><h2><a href="/category/news/">News</a></h2></article>
      <article class="post"><h2><a href="/tag/peru/">Peru</a></h2></article>
      <article class="post"><h2><a href="/">Home</a></h2></article>
      <article class="post"><h2><a href="#top">Top</a></h2></article>
    </main>
    <aside class="widget-area"><article><h2><a href="/2023/side/">Sidebar post</a></h2></article>
    </aside>
    <div id="secondary"><article><h3><a href="/2023/side2/">Side two</a></h3></article></div>
    <div class="related-posts"><article><h3><a href="/2023/rel/">Related</a></h3></article></div>
    <footer><article><h2><a href="/2023/foot/">Footer post</a></h2></article></footer>
    </body>"""
    assert page(html) == [
        ("https://example.org/2023/real-one/", "Real one"),
        ("https://example.org/2023/real-two/", "Real two"),
    ]


def test_the_listing_page_itself_is_dropped_and_duplicates_left_to_identity() -> None:
    html = """<main>
    <article><h2><a href="/category/news/">This page</a></h2></article>
    <article><h2><a href="/a/">A</a></h2></article>
    <article><h2><a href="/a/#respond">A again</a></h2><p>with teaser</p></article>
    <article><h2><a href="/b/">B</a></h2></article>
    </main>"""
    articles = parse_listing(html.encode(), url="https://example.org/category/news/").articles
    assert [(a.url, a.title, a.teaser) for a in articles] == [
        ("https://example.org/a/", "A", ""),
        ("https://example.org/a/", "A again", "with teaser"),
        ("https://example.org/b/", "B", ""),
    ]
    assert [(a.title, a.teaser) for a in unique(articles)] == [
        ("A again", "with teaser"),
        ("B", ""),
    ]


def test_image_only_headline_link_falls_through_to_the_text_link() -> None:
    html = """<main>
    <article><h2><a href="/a/"><img src="a.jpg" alt=""></a> <a href="/a/">Alpha</a></h2></article>
    <article><h2><a href="/b/">Beta</a></h2></article></main>"""
    assert page(html) == [("https://example.org/a/", "Alpha"), ("https://example.org/b/", "Beta")]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<time datetime="2023-02-14T08:00:00-05:00">Feb 14</time>',
            datetime(2023, 2, 14, 13, 0, tzinfo=UTC),
        ),
        ('<time datetime="2023-02-14">14 Feb</time>', datetime(2023, 2, 14, tzinfo=UTC)),
        ('<span class="entry-date">February 14th, 2023</span>', datetime(2023, 2, 14, tzinfo=UTC)),
        ('<span class="posted-on">14 February 2023</span>', datetime(2023, 2, 14, tzinfo=UTC)),
        (
            '<meta itemprop="datePublished" content="2023-02-14T10:00:00Z">',
            datetime(2023, 2, 14, 10, tzinfo=UTC),
        ),
        ('<span class="date">sometime</span>', None),
    ],
)
def test_dates(markup: str, expected: datetime | None) -> None:
    html = f"""<main>
    <article><h2><a href="/a/">A</a></h2>{markup}<p>a</p></article>
    <article><h2><a href="/b/">B</a></h2><p>b</p></article></main>"""
    first = parse_listing(html.encode(), url="https://example.org/").articles[0]
    assert first.published == expected
    assert first.teaser == "a"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<span class="byline">By <a href="/author/jo/">Jo Doe</a></span>', "Jo Doe"),
        ('<span class="byline">by Jo Doe</span>', "Jo Doe"),
        ('<a rel="author" href="/author/jo/">Jo Doe</a>', "Jo Doe"),
        ('<div class="wp-block-post-author-name">Jo Doe</div>', "Jo Doe"),
        ("", None),
    ],
)
def test_authors(markup: str, expected: str | None) -> None:
    html = f"""<main>
    <article><h2><a href="/a/">A</a></h2>{markup}<p>a</p></article>
    <article><h2><a href="/b/">B</a></h2><p>b</p></article></main>"""
    first = parse_listing(html.encode(), url="https://example.org/").articles[0]
    assert first.author == expected
    assert first.teaser == "a"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><body><p>Nothing to see.</p></body></html>",
        "<nav><h2><a href='/a/'>Menu</a></h2></nav><footer><h2><a href='/b/'>B</a></h2></footer>",
        "<main><div class='donate-box'><h2><a href='/2023/drive/'>Give</a></h2></div></main>",
    ],
)
def test_no_articles_is_parse_error(html: str) -> None:
    with pytest.raises(ParseError, match="no articles"):
        parse_listing(html.encode(), url="https://example.org/")


# --- themes without WordPress post classes fall back to bare headlines -----------------------


def test_block_theme_without_post_classes_still_yields_exactly_the_articles() -> None:
    html = fixture("popular_resistance_mass_action.html").decode()
    html = re.sub(r'<li class="wp-block-post [^"]*">', '<li class="item">', html)
    assert "wp-block-post " not in html
    articles = parse_listing(html.encode(), url=PR_URL).articles
    assert [a.title for a in articles] == PR_TITLES
    assert articles[1].author == "Jon Henley"
    assert articles[1].published == datetime(2023, 2, 6, 13, 30, tzinfo=UTC)
    assert articles[1].teaser.endswith("reduce bills for small business owners.")


def test_classic_theme_without_article_elements_still_yields_exactly_the_articles() -> None:
    html = fixture("isa_latin_america.html").decode()
    html = re.sub(r"<article [^>]*>", '<div class="item">', html).replace("</article>", "</div>")
    assert "<article" not in html
    articles = parse_listing(html.encode(), url=ISA_URL).articles
    assert len(articles) == 5
    first = articles[0]
    assert first.title == "Latin America: Second \u201cPink Tide\u201d: What Way Forward?"
    assert first.author == "Elan Axelbank"
    assert first.categories == ("Analysis", "Latin America")
    assert first.teaser.endswith("a wave of left-wing electoral victories")


def test_page_builder_widget_wrappers_are_not_chrome() -> None:
    html = """<body><div class="elementor elementor-location-archive">
    <div class="elementor-widget elementor-widget-archive-posts">
    <div class="elementor-widget-container">
      <article class="elementor-post post subscriber-only"><h3 class="elementor-post__title">
        <a href="/2023/a/">A</a></h3><div class="elementor-post__excerpt"><p>aa</p></div></article>
      <article class="elementor-post post"><h3 class="elementor-post__title">
        <a href="/2023/b/">B</a></h3><div class="elementor-post__excerpt"><p>bb</p></div></article>
    </div></div>
    <div class="elementor-widget elementor-widget-sidebar"><article class="post">
      <h3><a href="/2023/side/">Side</a></h3></article></div>
    </div></body>"""
    articles = parse_listing(html.encode(), url="https://example.org/category/x/").articles
    assert [(a.title, a.teaser) for a in articles] == [("A", "aa"), ("B", "bb")]


# --- per-source selectors ---------------------------------------------------------------------

ODD_THEME = b"""<html><body>
<div class="card"><span class="hed">Odd Theme Story One</span>
  <a class="go" href="/s/one">open</a><div class="dek">The <b>first</b> teaser.</div>
  <span class="when">March 5, 2024</span><span class="who">Ana Paz</span></div>
<div class="card"><span class="hed">Odd Theme Story Two</span>
  <a class="go" href="s/two">open</a><div class="dek">Second teaser. Continue Reading</div></div>
<footer><div class="card"><span class="hed">Donate</span><a class="go" href="/donate/">x</a></div>
</footer></body></html>"""


def test_selectors_override_the_generic_extractor() -> None:
    selectors = ListingSelectors(
        item=".card", title=".hed", link="a.go", teaser=".dek", date=".when", author=".who"
    )
    page = parse_listing(ODD_THEME, url="https://odd.example/news/", selectors=selectors)
    assert [(a.url, a.title, a.teaser) for a in page.articles] == [
        ("https://odd.example/s/one", "Odd Theme Story One", "The first teaser."),
        ("https://odd.example/news/s/two", "Odd Theme Story Two", "Second teaser."),
    ]  # relative links resolved; the footer's donation link is no article
    first = page.articles[0]
    assert first.published == datetime(2024, 3, 5, tzinfo=UTC) and first.author == "Ana Paz"
    with pytest.raises(ParseError, match="no articles match"):
        parse_listing(ODD_THEME, url="https://odd.example/", selectors=ListingSelectors(".none"))


def test_selectors_fall_back_to_generic_fields() -> None:
    page = parse_listing(
        fixture("popular_resistance_mass_action.html"),
        url=PR_URL,
        selectors=ListingSelectors(item="li.wp-block-post"),
    )
    assert [a.title for a in page.articles][:3] == PR_TITLES[:3]
