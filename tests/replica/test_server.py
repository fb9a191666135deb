"""The replica over real HTTP: listings, articles, feeds, runtime additions, robots."""

from __future__ import annotations

import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from replica.corpus import MINSK, OUTLETS, ReplicaArticle
from replica.houses import host_key
from replica.server import Replica, server_keys

HAND_BUILT = ("charter97", "pozirk")  # the fixture's extra articles; the houses: test_houses.py

SAMPLE = Path(__file__).parents[1] / "fixtures" / "replica_sample"
VISIT = datetime(2026, 9, 25, 5, 8, tzinfo=MINSK)
EXTRA = 25  # generated ru articles per outlet, so listings and feeds have a second page


def make_article(outlet: str, ident: int, published: datetime, lang: str = "ru") -> ReplicaArticle:
    return ReplicaArticle(
        outlet=outlet, id=ident, lang=lang, published=published, section="world",
        title=f"Generated {outlet} article {ident}", lead=f"Lead {ident}.",
        body=(f"Body {ident} one.", f"Body {ident} two."),
    )


def fetch(url: str, data: bytes | None = None) -> tuple[int, str, str]:
    """(status, content type, body text) of one request; HTTP errors are answers too."""
    request = Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    drop = tmp_path / "drop"
    with Replica(articles_root=SAMPLE, drop_dir=drop, clock=lambda: VISIT) as running:
        start = datetime(2026, 8, 1, 8, 0, tzinfo=MINSK)
        for n in range(EXTRA):
            for outlet in HAND_BUILT:
                running.add(make_article(outlet, 1000 + n, start + timedelta(hours=n)))
        yield running


def hrefs(body: str, pattern: str) -> list[str]:
    return re.findall(pattern, body)


def test_charter97_listing_pages(replica: Replica) -> None:
    base = replica.base_urls["charter97"]
    status, ctype, first = fetch(base + "/ru/news/p/1/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    page1 = hrefs(first, r'<li><a href="([^"]+)">')
    assert len(page1) == 20
    assert page1[0] == "/ru/news/2026/9/5/690123/"  # the newest, from the sample
    assert first.count('class="google_ad"') == 1
    assert 'href="/ru/news/p/2/"' in first and "/ru/news/p/0/" not in first
    _, _, second = fetch(base + "/ru/news/p/2/")
    page2 = hrefs(second, r'<li><a href="([^"]+)">')
    assert len(page2) == 1 + EXTRA - 20 and not set(page1) & set(page2)
    assert page2[-1] == "/ru/news/2026/8/1/1000/"
    assert 'href="/ru/news/p/1/"' in second and "/ru/news/p/3/" not in second


def test_listing_past_the_end_is_404(replica: Replica) -> None:
    charter97, pozirk = replica.base_urls["charter97"], replica.base_urls["pozirk"]
    assert fetch(charter97 + "/ru/news/p/3/")[0] == 404
    assert fetch(charter97 + "/ru/news/p/0/")[0] == 404
    assert fetch(charter97 + "/be/news/p/2/")[0] == 404
    assert fetch(pozirk + "/ru/news/?page=3")[0] == 404


def test_english_listing_front_page(replica: Replica) -> None:
    status, _, body = fetch(replica.base_urls["charter97"] + "/en/news/")
    assert status == 200
    assert hrefs(body, r'<li><a href="([^"]+)">') == ["/en/news/2026/9/3/690125/"]
    assert body == fetch(replica.base_urls["charter97"] + "/en/news/p/1/")[2]


def test_charter97_article_page(replica: Replica) -> None:
    status, ctype, body = fetch(replica.base_urls["charter97"] + "/ru/news/2026/9/5/690123/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    assert '<h1 class="article__title">Минск и Пекин подписали соглашение' in body
    assert '<span class="article__date">05.09.2026, 14:30</span>' in body
    assert '<div class="article__author">Иван Петров</div>' in body
    assert "<p><strong>Стороны договорились" in body
    figure = '<figure class="article__left article__photo">'
    assert figure + '<img src="/images/2026/09/690123.jpg"' in body
    assert 'class="article__video-container"' in body  # 690123 is a multiple of 3
    for noise in ('class="social"', 'class="subscribe"', 'class="b opinion"', 'class="account"',
                  'class="comments"', 'class="commentLevel2"', "Поддержите сайт «Хартия-97»",
                  "Написать комментарий"):
        assert noise in body, noise
    assert 'href="https://charter97.org/ru/news/2026/9/5/690123/"' in body
    assert "header__date" not in body  # the visit clock is on English pages only


def test_belarusian_page_uses_belarusian_noise(replica: Replica) -> None:
    _, _, body = fetch(replica.base_urls["charter97"] + "/be/news/2026/9/4/690124/")
    assert "Падтрымайце сайт «Хартыя-97» на Patreon!" in body
    assert "article__author" not in body and "article__photo" not in body
    assert 'class="article__video-container"' not in body


def test_english_header_clock_is_the_visit_time(replica: Replica) -> None:
    _, _, body = fetch(replica.base_urls["charter97"] + "/en/news/2026/9/3/690125/")
    clock = re.search(r'<div class="header__date">([^<]+)</div>', body)
    assert clock is not None
    assert clock[1] == "25 September 2026, Friday, 5:08"
    assert "3 September" not in clock[1] and "03.09.2026" not in clock[1]
    assert '<span class="article__date">03.09.2026, 18:45</span>' in body
    assert "Support Charter97 on Patreon!" in body


def test_default_clock_is_now_in_minsk(tmp_path: Path) -> None:
    with Replica(articles_root=SAMPLE) as running:
        _, _, body = fetch(running.base_urls["charter97"] + "/en/news/")
    today = datetime.now(MINSK)
    assert f'<div class="header__date">{today.day} {today:%B} {today.year}, ' in body


def test_rss_feed(replica: Replica) -> None:
    base = replica.base_urls["charter97"]
    status, ctype, body = fetch(base + "/ru/rss/all/")
    assert (status, ctype) == (200, "application/rss+xml; charset=utf-8")
    items = ET.fromstring(body).findall("./channel/item")
    assert len(items) == 20
    links = [item.findtext("link") or "" for item in items]
    assert links[0] == base + "/ru/news/2026/9/5/690123/"
    assert all(link.startswith(base + "/ru/news/") for link in links)
    assert items[0].findtext("pubDate") == "Sat, 05 Sep 2026 14:30:00 +0300"
    assert items[0].findtext("description", "").startswith("Стороны договорились увеличить")
    assert items[0].findtext("guid") == links[0]


def test_section_and_missing_feeds(replica: Replica) -> None:
    base = replica.base_urls["charter97"]
    economics = ET.fromstring(fetch(base + "/ru/rss/economics/")[2]).findall("./channel/item")
    assert [i.findtext("title") for i in economics] == [
        "Минск и Пекин подписали соглашение о поставках калия"
    ]
    assert len(ET.fromstring(fetch(base + "/be/rss/all/")[2]).findall("./channel/item")) == 1
    assert fetch(base + "/be/rss/economics/")[0] == 404  # no Belarusian economics article
    assert fetch(base + "/en/rss/all/")[0] == 404
    assert fetch(replica.base_urls["pozirk"] + "/ru/rss/all/")[0] == 404


def test_url_variants_serve_the_same_article(replica: Replica) -> None:
    base = replica.base_urls["charter97"]
    canonical = fetch(base + "/ru/news/2026/9/5/690123/")
    assert fetch(base + "/ru/news/2026/09/05/690123/") == canonical
    assert fetch(base + "/ru/news/2026/9/5/690123") == canonical
    assert fetch(base + "/ru/news/2026/9/6/690123/")[0] == 404  # wrong day
    assert fetch(base + "/be/news/2026/9/5/690123/")[0] == 404  # wrong language


def test_pozirk_listing_and_article(replica: Replica) -> None:
    base = replica.base_urls["pozirk"]
    _, _, first = fetch(base + "/ru/news/")
    links = hrefs(first, r'<a class="news-list__link" href="([^"]+)">')
    assert len(links) == 20 and links[0] == "/ru/news/202001"
    assert '<a class="pager__next" href="/ru/news/?page=2">Далее</a>' in first
    _, _, second = fetch(base + "/ru/news/?page=2")
    assert len(hrefs(second, r'class="news-list__link" href="([^"]+)"')) == 1 + EXTRA - 20
    assert "pager__next" not in second
    status, _, article = fetch(base + "/ru/news/202001")
    assert status == 200
    assert "<title>Почему белорусский экспорт в Китай растёт медленнее ожиданий | Pozirk" in article
    assert 'datetime="2026-09-05T11:00:00+03:00">5 сентября 2026, 11:00</time>' in article
    assert '<span class="news-item__author" itemprop="author">Анна Сидорова</span>' in article
    assert '<p class="donate">Поддержите Pozirk' in article
    assert fetch(base + "/be/news/202001")[0] == 404


def test_post_adds_an_article(replica: Replica) -> None:
    base = replica.base_urls["charter97"]
    payload = {
        "id": 699999, "lang": "ru", "published": "2026-09-06 08:15", "section": "economics",
        "title": "Свежая новость о Китае", "lead": "Лид.", "body": ["Первый.", "Второй."],
        "relevant": True, "themes": ["trade-balance"],
    }
    status, _, answer = fetch(base + "/__replica__/articles", json.dumps(payload).encode())
    assert status == 201
    assert json.loads(answer)["url"] == base + "/ru/news/2026/9/6/699999/"
    listing = hrefs(fetch(base + "/ru/news/p/1/")[2], r'<li><a href="([^"]+)">')
    assert listing[0] == "/ru/news/2026/9/6/699999/"
    for feed in ("/ru/rss/all/", "/ru/rss/economics/"):
        items = ET.fromstring(fetch(base + feed)[2]).findall("./channel/item")
        assert items[0].findtext("title") == "Свежая новость о Китае"
    assert replica.articles("charter97")[0].id == 699999
    assert ("charter97", "/__replica__/articles") not in replica.request_log


def test_post_rejects_bad_articles(replica: Replica) -> None:
    url = replica.base_urls["pozirk"] + "/__replica__/articles"
    status, _, answer = fetch(url, b'{"id": 5, "lang": "en"}')
    assert status == 400 and "pozirk article 5" in json.loads(answer)["error"]
    assert fetch(url, b"not json")[0] == 400
    assert fetch(replica.base_urls["pozirk"] + "/elsewhere", b"{}")[0] == 404


def test_file_drop(replica: Replica, tmp_path: Path) -> None:
    folder = tmp_path / "drop" / "pozirk"
    folder.mkdir(parents=True)
    (folder / "be-202999.toml").write_text("id = 202999\nlang = ", encoding="utf-8")
    base = replica.base_urls["pozirk"]
    assert fetch(base + "/be/news/202999")[0] == 404  # half-written: skipped, not fatal
    (folder / "be-202999.toml").write_text(
        'id = 202999\nlang = "be"\npublished = "2026-09-07 10:00"\nsection = "news"\n'
        'title = "Кінутая навіна"\nlead = "Лід."\nbody = ["Тэкст."]\nrelevant = false\n',
        encoding="utf-8",
    )
    assert fetch(base + "/be/news/202999")[0] == 200
    links = hrefs(fetch(base + "/be/news/")[2], r'class="news-list__link" href="([^"]+)"')
    assert links[0] == "/be/news/202999"
    assert replica.articles("charter97")[0].id == 690123  # other outlet untouched


def test_robots_images_and_unknown_paths(replica: Replica) -> None:
    for outlet in replica.base_urls:
        base = replica.base_urls[outlet]
        assert fetch(base + "/robots.txt")[::2] == (200, "User-agent: *\nDisallow: /search/\n")
        assert fetch(base + "/robots.txt")[1].startswith("text/plain")
        with urlopen(base + "/images/2026/09/690123.jpg", timeout=10) as response:
            assert response.read().startswith(b"GIF89a")
        status, ctype, body = fetch(base + "/no/such/page")
        assert (status, ctype) == (404, "text/html; charset=utf-8") and "404" in body


def test_request_log(replica: Replica) -> None:
    replica.reset_request_log()
    fetch(replica.base_urls["pozirk"] + "/ru/news/?page=2")
    fetch(replica.base_urls["charter97"] + "/robots.txt")
    assert replica.request_log == [("pozirk", "/ru/news/?page=2"), ("charter97", "/robots.txt")]


def test_fixed_port_puts_each_host_on_the_next_port() -> None:
    keys = server_keys()
    assert keys[:2] == ["charter97", "pozirk"] and {"belta.be", "belta.en", "belsat.ru"} < set(keys)
    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            with Replica(port=port, articles_root=SAMPLE) as running:
                assert running.base_urls == {
                    key: f"http://127.0.0.1:{port + n}" for n, key in enumerate(keys)}
                assert fetch(running.base_urls["pozirk"] + "/be/news/202002")[0] == 200
                return
        except OSError:
            time.sleep(0.1)  # one of the next ports was taken: try another run of them
    pytest.fail(f"no {len(keys)} free ports in a row found")


def test_packaged_corpus_is_served() -> None:
    """Not skipped when the corpus is empty: the replica is useless without it."""
    with Replica() as running:
        assert running.outlets == list(OUTLETS)
        for outlet in OUTLETS:
            articles = running.articles(outlet)
            assert articles, f"no packaged {outlet} articles"
            newest = articles[0]
            status, _, body = fetch(running.base_urls[host_key(newest)] + newest.path)
            assert status == 200
            assert newest.title.replace("'", "&#x27;").replace('"', "&quot;") in body
