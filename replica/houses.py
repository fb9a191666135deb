"""The house style of each outlet the shared renderer builds: what SITES.md knows of the
real site (feeds, listings, URL shapes, the element around the text), and a plausible rest.

The markup varies as real sites do: some pages carry JSON-LD, some only OpenGraph, some
only a `<time>` element and a byline; four outlets are read with their own selectors
(BelTA, Svaboda, Zerkalo, Zviazda: `crawler/sources.toml`), the others by the generic reader.
"""

from __future__ import annotations

from replica import charter97_pages, pozirk_pages
from replica.corpus import ReplicaArticle
from replica.house_pages import House

# The outlets built by hand (replica/charter97_pages.py, replica/pozirk_pages.py).
HAND_BUILT = {"charter97": charter97_pages.CANONICAL, "pozirk": pozirk_pages.CANONICAL}

HOUSES: dict[str, House] = {h.outlet: h for h in (
    House(
        outlet="belta", name="БелТА",
        canonical={"ru": "https://www.belta.by", "be": "https://blr.belta.by",
                   "en": "https://eng.belta.by"},
        own_hosts={"be": "belta.be", "en": "belta.en"},
        feeds={"ru": ("/rss",), "be": ("/rss",)},  # eng.belta.by/rss answers 404
        listings={"en": "/all_news/?page={page}"},
        metadata=frozenset({"og", "time", "byline"}),
        title_open='<h1 class="news_title">',
        body_open='<div class="js-mediator-article">',
        image_open='<div class="main_img">', image_close="</div>",
    ),
    House(
        outlet="nashaniva", name="Наша Ніва",
        canonical={lang: "https://nashaniva.com" for lang in ("be", "ru", "be_latn", "en")},
        feeds={"be": ("/rss",)},
        listings={"ru": "/ru/news?page={page}", "be_latn": "/be_latn/news?page={page}",
                  "en": "/en/news?page={page}"},
        metadata=frozenset({"json-ld", "og"}),
        comment_pages=True, html_lang={"be_latn": "be-Latn"},
    ),
    House(
        outlet="zerkalo", name="Зеркало",
        canonical={"ru": "https://news.zerkalo.io"},
        feeds={"ru": ("/rss/all.rss", "/rss/index.rss")},
        metadata=frozenset({"og", "time", "byline"}),
        body_open='<div id="article_body" itemprop="articleBody">',
    ),
    House(
        outlet="belsat", name="Белсат",
        canonical={"be": "https://belsat.eu", "ru": "https://ru.belsat.eu"},
        own_hosts={"ru": "belsat.ru"},
        feeds={"be": ("/feed/",), "ru": ("/rss",)},
        metadata=frozenset({"json-ld"}),
        body_open='<div class="article-content">',
    ),
    House(
        outlet="svaboda", name="Радыё Свабода",
        canonical={"be": "https://www.svaboda.org"},
        feeds={"be": ("/api/epiqq",)},
        metadata=frozenset({"og", "time", "author-meta"}),
        title_open='<h1 class="pg-title">', body_open='<div class="wsw">',
    ),
    House(
        outlet="euroradio", name="Еўрарадыё",
        canonical={lang: "https://euroradio.fm" for lang in ("be", "ru", "en")},
        feeds={"be": ("/be/rss",)},
        listings={"ru": "/ru/news?page={page}", "en": "/en/news?page={page}"},
        metadata=frozenset({"time", "byline"}),
    ),
    House(
        outlet="reform", name="Reform.news",
        canonical={"ru": "https://reform.news"},
        listings={"ru": "/news/page/{page}"},
        metadata=frozenset({"json-ld", "og"}), amp_pages=True,
    ),
    House(
        outlet="zviazda", name="Звязда",
        canonical={"be": "https://zviazda.by"},
        feeds={"be": ("/be/rss.xml",)},
        metadata=frozenset({"og", "author-meta"}),
        body_open='<div class="field-item even">',
    ),
    House(
        outlet="xinhua-ru", name="Синьхуа Новости",
        canonical={"ru": "https://russian.news.cn"},
        feeds={"ru": ("/rss/news.xml",)},
        metadata=frozenset({"time", "author-meta"}),
        body_open='<div id="detailContent">',
    ),
    House(
        outlet="peoples-daily-ru", name="Жэньминь Жибао",
        canonical={"ru": "http://russian.people.com.cn"},
        feeds={"ru": ("/rss/feed.xml",)},
        metadata=frozenset({"og", "json-ld"}),
        body_open='<div class="rm_txt_con">',
    ),
    House(
        outlet="cgtn-ru", name="CGTN на русском",
        canonical={"ru": "https://russian.cgtn.com"},
        listings={"ru": "/news/?page={page}"},
        metadata=frozenset({"json-ld", "time"}),
        body_open='<div class="text-content">',
    ),
)}



def public_url(article: ReplicaArticle) -> str:
    """The URL the real outlet publishes `article` under: what a crawler of the replica
    stores it as (the replica's pages name it in their canonical links)."""
    house = HOUSES.get(article.outlet)
    if house is not None:
        return house.canonical[article.lang] + article.path
    return HAND_BUILT[article.outlet] + article.path


def host_key(article: ReplicaArticle) -> str:
    """The replica host that serves `article`: its edition's own ("belta.be"), or its outlet's."""
    house = HOUSES.get(article.outlet)
    return house.own_hosts.get(article.lang, article.outlet) if house else article.outlet
