"""The weight of a real outlet's article page: everything around the story that a regional WordPress portal
serves with it (a <head> of meta tags, inline critical CSS, JSON-LD, tag-manager and ad-slot scripts; a mega
menu, a breaking-news ticker, ad slots, share buttons with inline SVG icons, related and popular lists, a
comment form, a network footer, deferred scripts). Real Indonesian outlets serve 60-150 KB per article page;
with this chrome a simulated one does too. Deterministic: the same article gives the same page.

Written for the simulator (not copied from any outlet); `WordPressSite(heavy=True)` uses it."""
from __future__ import annotations

import json
from html import escape
from functools import lru_cache

from lab.simulator.content import Article, long_date, slugify

AD_SLOTS = ("billboard", "leaderboard", "showcase-1", "showcase-2", "parallax", "inarticle-1", "inarticle-2",
            "sidebar-1", "sidebar-2", "sticky-bottom", "interstitial", "skin-left", "skin-right")
SECTIONS = {"politik": ["Pilkada 2024", "Pemilu", "Parlemen", "Pemerintahan", "Hukum", "Opini"],
            "daerah": ["Garut", "Tasikmalaya", "Ciamis", "Sumedang", "Banjar", "Cianjur", "Pangandaran"],
            "ekonomi": ["Bisnis", "UMKM", "Pertanian", "Harga Pangan", "Investasi"],
            "olahraga": ["Sepak Bola", "Persib", "Bulu Tangkis", "MotoGP", "Olahraga Lain"],
            "gaya-hidup": ["Kesehatan", "Kuliner", "Wisata", "Teknologi", "Otomotif", "Hiburan"],
            "pendidikan": ["Sekolah", "Kampus", "Beasiswa", "Pesantren"]}
NETWORK = ["Bandung", "Bogor", "Bekasi", "Depok", "Cirebon", "Sukabumi", "Karawang", "Purwakarta", "Subang",
           "Indramayu", "Majalengka", "Kuningan", "Serang", "Tangerang", "Lebak", "Pandeglang", "Cilegon",
           "Semarang", "Solo", "Yogyakarta"]
ICONS = {   # simple 24x24 outlines, drawn for the simulator
    "facebook": "M14 8h3V4h-3c-2.8 0-5 2.2-5 5v2H7v4h2v9h4v-9h3l1-4h-4V9c0-.6.4-1 1-1z",
    "x": "M4 4l7.2 9.6L4.3 20H6l6-5.5 4.1 5.5H20l-7.5-10L19 4h-1.7l-5.6 5.1L7.9 4H4zm2.4 1.2h1.2l10 13.6h-1.2z",
    "whatsapp": "M12 2a10 10 0 0 0-8.6 15.1L2 22l5-1.3A10 10 0 1 0 12 2zm0 18.2c-1.5 0-3-.4-4.3-1.2l-.3-.2-3 .8.8-2.9"
                "-.2-.3A8.2 8.2 0 1 1 12 20.2zm4.5-6.1c-.2-.1-1.5-.7-1.7-.8s-.4-.1-.6.1l-.8 1c-.1.2-.3.2-.5.1a6.7 6.7 0 "
                "0 1-3.3-2.9c-.2-.4.3-.4.7-1.3.1-.2 0-.3 0-.4l-.8-1.9c-.2-.5-.4-.4-.6-.4h-.5a1 1 0 0 0-.7.3 3 3 0 0 0-.9 "
                "2.2 5.2 5.2 0 0 0 1.1 2.8 11.9 11.9 0 0 0 4.6 4c1.7.7 2.4.8 3.2.7.5-.1 1.5-.6 1.8-1.2s.2-1.1.1-1.2z",
    "telegram": "M21.9 4.3l-3.2 15c-.2 1-.9 1.3-1.8.8l-4.8-3.6-2.3 2.2c-.3.3-.5.5-1 .5l.3-4.9 8.9-8c.4-.3-.1-.5-.6"
                "-.2L6.4 13 1.7 11.5c-1-.3-1-1 .2-1.5L20.6 2.9c.9-.3 1.6.2 1.3 1.4z",
    "link": "M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM8.5 18.4a3.5 3.5 0 0 1-2.5"
            "-6l2.1-2.1a1 1 0 1 1 1.4 1.4l-2.1 2.1a1.5 1.5 0 0 0 2.1 2.1l2.1-2.1a1 1 0 0 1 1.4 1.4L11 17.3a3.5 3.5 0 0 1-2.5"
            " 1.1zm7-5.3a1 1 0 0 1-.7-1.7l2.1-2.1a1.5 1.5 0 0 0-2.1-2.1l-2.1 2.1a1 1 0 0 1-1.4-1.4L13.4 5.8a3.5 3.5 0 0 1"
            " 4.9 4.9l-2.1 2.1a1 1 0 0 1-.7.3z",
    "search": "M10 2a8 8 0 1 0 4.9 14.3l5.4 5.4 1.4-1.4-5.4-5.4A8 8 0 0 0 10 2zm0 2a6 6 0 1 1 0 12 6 6 0 0 1 0-12z",
    "clock": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1 3v6l5 3 1-1.7-4-2.3V7z",
}


def svg(name: str, size: int = 20) -> str:
    return (f'<svg class="icon icon-{name}" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="{ICONS[name]}"/></svg>')


def ad_slot(name: str, base: str) -> str:
    return (f'<div class="ads ads-{name}" id="div-gpt-ad-{name}" data-slot="/21812345/priangan/{name}" '
            f'data-sizes="[[728,90],[970,250],[300,250],[320,100]]" data-lazy="true"><span class="ads-label">Advertisement'
            f'</span><script>googletag.cmd.push(function(){{googletag.display("div-gpt-ad-{name}");}});</script>'
            f'<noscript><a href="{base}/iklan/?slot={name}" rel="nofollow sponsored"><img src="{base}/wp-content/'
            f'uploads/iklan/{name}-placeholder.png" width="300" height="250" alt="Iklan"></a></noscript></div>')


@lru_cache(maxsize=8)
def site_chrome(base: str, outlet: str, tagline: str) -> dict[str, str]:
    """The parts of every article page that do not depend on the article (built once per site)."""
    selectors = ["body", ".site-header", ".topbar", ".topbar a", ".main-navigation", ".menu > li", ".menu > li > a",
                 ".sub-menu", ".sub-menu li a", ".ticker", ".ticker-item", ".ads", ".ads-label", ".breadcrumbs",
                 ".entry-title", ".entry-meta", ".entry-content p", ".entry-content a", ".post-thumbnail img",
                 ".share-buttons", ".share-buttons a", ".icon", ".related-posts", ".related-item",
                 ".related-item img", ".related-item h3", ".widget", ".widget-title", ".popular-list li",
                 ".popular-rank", ".latest-list li", ".latest-list time", ".tagcloud a", ".comments-area",
                 ".comment-form input", ".comment-form textarea", ".site-footer", ".footer-menu a", ".network a",
                 ".copyright", ".sticky-bottom", ".back-to-top", ".dark-mode .site-header", ".dark-mode body"]
    css = "".join(f"{sel}{{margin:0 0 {i % 5 * 4}px;padding:{i % 3 * 4}px {i % 4 * 6}px;font:{400 + i % 3 * 100} "
                  f"{13 + i % 6}px/1.{4 + i % 4} 'Inter',Arial,sans-serif;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
                  f"background:#{(i * 40503) % 0xFFFFFF:06x};border-radius:{i % 4}px;transition:all .2s ease-in-out}}"
                  f"@media (max-width:{480 + i % 4 * 160}px){{{sel}{{padding:{i % 3 * 2}px;font-size:{12 + i % 4}px}}}}"
                  for i, sel in enumerate(selectors))
    menu = "".join(
        f'<li class="menu-item menu-item-has-children menu-item-{i}"><a href="{base}/category/{key}/">'
        f'{key.replace("-", " ").title()}</a><ul class="sub-menu">'
        + "".join(f'<li class="menu-item"><a href="{base}/category/{key}/{slugify(sub)}/">{sub}</a></li>' for sub in subs)
        + "</ul></li>" for i, (key, subs) in enumerate(SECTIONS.items()))
    network = "".join(f'<a href="https://{slugify(city)}.ekspres-network.id/" target="_blank" rel="noopener">'
                      f'{city} Ekspres</a>' for city in NETWORK)
    socials = "".join(f'<a class="social social-{n}" href="https://{n}.com/prianganekspres" aria-label="{n}">{svg(n)}</a>'
                      for n in ("facebook", "x", "whatsapp", "telegram"))
    head = (
        '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1">\n'
        + "".join(f'<link rel="dns-prefetch" href="//{host}">\n' for host in (
            "fonts.googleapis.com", "www.googletagmanager.com", "securepubads.g.doubleclick.net",
            "pagead2.googlesyndication.com", "cdn.ampproject.org", "connect.facebook.net", "static.cloudflareinsights.com"))
        + "".join(f'<link rel="stylesheet" id="{name}-css" href="{base}/wp-content/{path}?ver=6.4.{i}" media="all">\n'
                  for i, (name, path) in enumerate((
                      ("wp-block-library", "wp-includes/css/dist/block-library/style.min.css"),
                      ("newsportal-style", "themes/newsportal/style.css"), ("newsportal-dark", "themes/newsportal/dark.css"),
                      ("swiper", "themes/newsportal/assets/swiper-bundle.min.css"),
                      ("wpdiscuz", "plugins/wpdiscuz/themes/default/style.css")))) +
        f"<style id='newsportal-critical-css'>{css}</style>\n"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-PRIANGAN01',{send_page_view:true,anonymize_ip:true});</script>\n"
        f'<script async src="https://www.googletagmanager.com/gtag/js?id=G-PRIANGAN01"></script>\n'
        '<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>\n'
        "<script>window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){"
        + "".join(f'googletag.defineSlot("/21812345/priangan/{s}",[[728,90],[970,250],[300,250],[320,100]],'
                  f'"div-gpt-ad-{s}").setTargeting("pos","{s}").addService(googletag.pubads());' for s in AD_SLOTS)
        + "googletag.pubads().enableLazyLoad({fetchMarginPercent:200,renderMarginPercent:100,mobileScaling:2.0});"
          "googletag.pubads().enableSingleRequest();googletag.pubads().collapseEmptyDivs();googletag.enableServices();});"
          "</script>\n")
    tail = (
        "<script id='newsportal-config'>var newsportalConfig="
        + json.dumps({"ajaxUrl": f"{base}/wp-admin/admin-ajax.php", "restUrl": f"{base}/wp-json/", "lazy": True,
                      "infiniteScroll": {"enabled": True, "maxPosts": 5, "container": ".site-main"},
                      "darkMode": {"enabled": True, "default": "light"}, "i18n": {
                          "loadMore": "Muat lebih banyak", "copied": "Tautan disalin", "share": "Bagikan",
                          "close": "Tutup", "search": "Cari berita"},
                      "sections": {k: [slugify(s) for s in v] for k, v in SECTIONS.items()}}) + ";</script>\n"
        "<script>(function(){var l=document.querySelectorAll('img[data-src]');if('IntersectionObserver' in window){"
        "var o=new IntersectionObserver(function(e){e.forEach(function(x){if(x.isIntersecting){var i=x.target;"
        "i.src=i.dataset.src;if(i.dataset.srcset){i.srcset=i.dataset.srcset;}i.removeAttribute('data-src');"
        "o.unobserve(i);}});},{rootMargin:'200px 0px'});l.forEach(function(i){o.observe(i);});}else{l.forEach("
        "function(i){i.src=i.dataset.src;});}var t=document.querySelector('.back-to-top');window.addEventListener("
        "'scroll',function(){if(t){t.classList.toggle('show',window.scrollY>600);}},{passive:true});var d=document."
        "querySelector('.dark-toggle');if(d){d.addEventListener('click',function(){document.body.classList.toggle("
        "'dark-mode');try{localStorage.setItem('np-dark',document.body.classList.contains('dark-mode')?'1':'0');}"
        "catch(e){}});}})();</script>\n"
        + "".join(f'<script src="{base}/wp-content/{p}?ver=2.4.1" id="{p.rsplit("/", 1)[-1][:-3]}-js" defer></script>\n'
                  for p in ("themes/newsportal/assets/swiper-bundle.min.js", "themes/newsportal/assets/main.js",
                            "plugins/wpdiscuz/assets/js/wpdiscuz.js", "plugins/newsportal-ads/sticky.js",
                            "wp-includes/js/comment-reply.min.js"))
        + "<script defer src='https://static.cloudflareinsights.com/beacon.min.js' data-cf-beacon='{\"token\":"
          "\"0a1b2c3d4e5f60718293a4b5c6d7e8f9\"}'></script>\n")
    topbar = (f'<div class="topbar"><div class="container"><span class="today">{svg("clock", 14)} Edisi hari ini</span>'
              f'<div class="topbar-social">{socials}</div><a class="dark-toggle" href="#" role="button">Mode gelap</a>'
              f'<form class="search-form" action="{base}/" role="search"><input type="search" name="s" placeholder="Cari '
              f'berita..."><button type="submit" aria-label="Cari">{svg("search", 16)}</button></form></div></div>')
    footer = (f'<div class="footer-widgets"><section class="widget about"><h2 class="widget-title">Tentang {outlet}</h2>'
              f'<p>{outlet}: {tagline}. Media siber terverifikasi Dewan Pers, melayani pembaca di Priangan Timur sejak '
              f'2012.</p><div class="footer-social">{socials}</div></section><section class="widget network"><h2 '
              f'class="widget-title">Jaringan Ekspres</h2>{network}</section><nav class="footer-menu">'
              + "".join(f'<a href="{base}/{slugify(p)}/">{p}</a>' for p in (
                  "Tentang Kami", "Redaksi", "Pedoman Media Siber", "Kode Etik", "Kebijakan Privasi", "Disclaimer",
                  "Info Iklan", "Karir", "Kontak", "Indeks Berita", "Sitemap")) + "</nav></div>")
    return {"head": head, "menu": menu, "topbar": topbar, "tail": tail, "footer": footer,
            "ads": {s: ad_slot(s, base) for s in AD_SLOTS}}


def card(base: str, path: str, a: Article, number: int, zone: str) -> str:
    """A list entry with a lazy thumbnail, as related, popular and latest lists show one."""
    img = f"{base}/wp-content/uploads/{a.published:%Y/%m}/foto-{a.number}"
    return (f'<article class="related-item post-{a.number}"><a class="thumb" href="{base}{path}" title="{escape(a.title)}">'
            f'<img class="lazy" src="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20viewBox=%220%200'
            f'%20300%20200%22%3E%3C/svg%3E" data-src="{img}-300x200.jpg" data-srcset="{img}-300x200.jpg 300w, '
            f'{img}-768x512.jpg 768w, {img}.jpg 1200w" sizes="(max-width: 768px) 100vw, 300px" width="300" height="200" '
            f'alt="{escape(a.title)}"></a><div class="meta"><span class="rank">{number}</span><a class="cat" href="{base}/category/'
            f'{a.category}/">{a.category.title()}</a><h3><a href="{base}{path}">{escape(a.title)}</a></h3><time datetime="'
            f'{a.published.isoformat()}">{long_date(a.published, zone)}</time></div></article>')


def json_ld(base: str, outlet: str, a: Article, canonical: str, zone_iso: str) -> str:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": canonical + "#article", "isPartOf": {"@id": canonical},
         "author": {"name": a.author, "@id": f"{base}/#/schema/person/{slugify(a.author)}"}, "headline": a.title,
         "datePublished": zone_iso, "dateModified": zone_iso, "mainEntityOfPage": {"@id": canonical},
         "wordCount": len(a.text.split()), "publisher": {"@id": f"{base}/#organization"},
         "image": {"@id": canonical + "#primaryimage"}, "keywords": a.tags, "articleSection": [a.category.title()],
         "inLanguage": "id"},
        {"@type": "WebPage", "@id": canonical, "url": canonical, "name": f"{a.title} - {outlet}",
         "isPartOf": {"@id": f"{base}/#website"}, "primaryImageOfPage": {"@id": canonical + "#primaryimage"},
         "breadcrumb": {"@id": canonical + "#breadcrumb"}, "inLanguage": "id",
         "potentialAction": [{"@type": "ReadAction", "target": [canonical]}]},
        {"@type": "ImageObject", "inLanguage": "id", "@id": canonical + "#primaryimage",
         "url": f"{base}/wp-content/uploads/2024/11/foto-{a.number}.jpg", "width": 1200, "height": 800,
         "caption": f"Ilustrasi. (Dok. {outlet})"},
        {"@type": "BreadcrumbList", "@id": canonical + "#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Beranda", "item": base + "/"},
            {"@type": "ListItem", "position": 2, "name": a.category.title(), "item": f"{base}/category/{a.category}/"},
            {"@type": "ListItem", "position": 3, "name": a.title}]},
        {"@type": "WebSite", "@id": f"{base}/#website", "url": base + "/", "name": outlet, "inLanguage": "id",
         "publisher": {"@id": f"{base}/#organization"}, "potentialAction": [{"@type": "SearchAction", "target": {
             "@type": "EntryPoint", "urlTemplate": base + "/?s={search_term_string}"},
             "query-input": "required name=search_term_string"}]},
        {"@type": "Organization", "@id": f"{base}/#organization", "name": outlet, "url": base + "/",
         "logo": {"@type": "ImageObject", "url": f"{base}/wp-content/uploads/logo.png", "width": 600, "height": 60},
         "sameAs": [f"https://{n}.com/prianganekspres" for n in ("facebook", "x", "instagram", "youtube", "tiktok")]},
        {"@type": "Person", "@id": f"{base}/#/schema/person/{slugify(a.author)}", "name": a.author,
         "url": f"{base}/author/{slugify(a.author)}/"}]}
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False).replace("</", "<\\/") + "</script>\n")


def article_chrome(site, a: Article, canonical: str) -> dict[str, str]:
    """Template fields of a heavy WordPress article page (wp_article.html); empty for a light page."""
    base, zone = site.base, site.zone
    chrome = site_chrome(base, site.outlet, site.tagline)
    ads = chrome["ads"]
    others = [o for o in site.articles[:40] if o is not a]
    shown = 16 + a.number % 11                  # outlets fill their lists unevenly: pages weigh 75-90 KB
    pick = [others[(a.number * 7 + k * 5) % len(others)] for k in range(shown)] if others else []
    cards = [card(base, site.article_path(o), o, k + 1, zone) for k, o in enumerate(pick)]
    ticker = "".join(f'<li class="ticker-item"><a href="{base}{site.article_path(o)}">{escape(o.title)}</a></li>'
                     for o in pick[:10])
    share = "".join(f'<a class="share share-{n}" href="https://share.example/{n}?u={canonical}" target="_blank" '
                    f'rel="noopener nofollow" aria-label="Bagikan ke {n}">{svg(n)}<span>{n.title()}</span></a>'
                    for n in ("facebook", "x", "whatsapp", "telegram", "link"))
    tags = "".join(f'<a href="{base}/tag/{slugify(t)}/" class="tag-cloud-link" style="font-size:{11 + i % 7}pt">{escape(t)}</a>'
                   for i, t in enumerate(sorted({t for o in site.articles[:60] for t in o.tags})
                                         + [s for subs in SECTIONS.values() for s in subs]))
    return {
        "head_extra": json_ld(base, site.outlet, a, canonical, a.published.isoformat()) + chrome["head"],
        "top_chrome": (chrome["topbar"] + ads["skin-left"] + ads["skin-right"] + ads["billboard"]
                       + f'<nav class="main-navigation mega"><ul class="menu">{chrome["menu"]}</ul></nav>'
                       + f'<div class="ticker"><span class="ticker-label">Breaking News</span><ul>{ticker}</ul></div>'
                       + ads["leaderboard"]),
        "in_article": ads["inarticle-1"],
        "after_article": (f'<div class="share-buttons">{share}</div>' + ads["inarticle-2"]
                          + '<section class="related-posts"><h2 class="section-title">Berita Terkait</h2>'
                          + "".join(cards[:6]) + "</section>" + ads["showcase-1"]
                          + '<section class="more-posts"><h2 class="section-title">Pilihan Redaksi</h2>'
                          + "".join(cards[6:12]) + "</section>"
                          + f'<div id="comments" class="comments-area"><h2 class="comments-title">Komentar</h2>'
                            f'<p class="no-comments">Belum ada komentar. Jadilah yang pertama berkomentar.</p>'
                            f'<form action="{base}/wp-comments-post.php" method="post" id="commentform" '
                            f'class="comment-form"><p class="comment-notes">Alamat email Anda tidak akan '
                            f'dipublikasikan.</p><textarea id="comment" name="comment" cols="45" rows="8" required>'
                            f'</textarea><input id="author" name="author" type="text" placeholder="Nama"><input '
                            f'id="email" name="email" type="email" placeholder="Email"><input type="hidden" '
                            f'name="comment_post_ID" value="{a.number}"><input name="submit" type="submit" '
                            f'class="submit" value="Kirim Komentar"></form></div>' + ads["parallax"]),
        "aside_extra": (ads["sidebar-1"] + '<section class="widget popular"><h2 class="widget-title">Terpopuler</h2>'
                        + "".join(cards[12:18]) + "</section>" + ads["sidebar-2"]
                        + '<section class="widget latest"><h2 class="widget-title">Terbaru</h2>'
                        + "".join(cards[18:]) + "</section>"
                        + f'<section class="widget tags"><h2 class="widget-title">Topik Populer</h2><div '
                          f'class="tagcloud">{tags}</div></section>' + ads["showcase-2"]),
        "footer_extra": chrome["footer"] + ads["sticky-bottom"] + ads["interstitial"]
                        + '<a href="#masthead" class="back-to-top" aria-label="Kembali ke atas">&uarr;</a>',
        "tail_scripts": chrome["tail"],
    }


LIGHT = {k: "" for k in ("head_extra", "top_chrome", "in_article", "after_article", "aside_extra", "footer_extra",
                         "tail_scripts")}
