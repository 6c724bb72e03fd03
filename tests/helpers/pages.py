"""Web pages and feeds for tests, served by helpers.httpserver on 127.0.0.1."""

from __future__ import annotations

from helpers.httpserver import Route

__all__ = ["ARTICLE", "ATOM", "BARE_ARTICLE", "NAV_ONLY", "PAGES", "RSS", "atom", "rss",
           "short_article"]

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Border talks resume as Armenia and Azerbaijan trade accusations | Caucasus Ledger</title>
<meta property="og:site_name" content="Caucasus Ledger">
<meta property="og:title" content="Border talks resume as Armenia and Azerbaijan trade accusations">
<meta property="article:published_time" content="2024-03-05T08:30:00+00:00">
<link rel="canonical" href="https://news.example.org/world/2024/03/05/border-talks">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav></header>
<main>
<article>
<h1>Border talks resume as Armenia and Azerbaijan trade accusations</h1>
<p class="byline">By Anna Petrosyan, Yerevan</p>
<p>Armenian and Azerbaijani negotiators met in Tbilisi on Tuesday for a new round of border
delimitation talks, hours after each side accused the other of firing across the line near the
village of Tegh.</p>
<p>The Armenian foreign ministry said Azerbaijani troops had opened fire on positions in the
Syunik province overnight, wounding one soldier. Baku denied the claim and said its forces had
only returned fire after Armenian units shot at a road-building crew.</p>
<p>Georgian prime minister Irakli Kobakhidze, who hosted the meeting, urged both delegations to
agree on a joint commission to investigate ceasefire violations. "Nobody in this region gains
from another escalation," he told reporters after the first session.</p>
<p>European Union monitors deployed on the Armenian side of the border said they were looking
into the reports but could not yet confirm who fired first. The mission has about two hundred
observers along the frontier.</p>
<p>Diplomats familiar with the talks said the two sides were close to agreeing on a first
section of the border in the north, where villages on both sides have been cut off from
farmland since the 1990s. A second meeting is planned for next month in Brussels, where
officials hope to sign a framework document.</p>
</article>
</main>
<footer><p>&copy; 2024 Caucasus Ledger. All rights reserved.</p> <a href="/privacy">Privacy</a>
</footer>
</body>
</html>
"""


def short_article(headline: str, date: str, paragraph: str) -> str:
    """A second kind of news page: no canonical link, no site name, date in a <time>."""
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>{headline}</title></head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article><h1>{headline}</h1><time datetime="{date}">{date}</time>
<p>{paragraph}</p></article></body></html>"""


BARE_ARTICLE = """<html><body><div><p>The foreign ministers of Kenya and Ethiopia signed an
agreement on Monday to reopen the Moyale border crossing to trucks after months of closure,
officials in Nairobi said.</p></div></body></html>"""

NAV_ONLY = """<html><head><title>Caucasus Ledger</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><p>Cookies?</p></body></html>"""


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Caucasus Ledger - World</title>
<link>{base}/</link>
<description>World news</description>
<item>
  <title>Border talks resume as Armenia and Azerbaijan trade accusations</title>
  <link>{base}/world/border-talks</link>
  <pubDate>Tue, 05 Mar 2024 08:30:00 GMT</pubDate>
  <description>&lt;p&gt;Negotiators met in &lt;b&gt;Tbilisi&lt;/b&gt; &amp;amp; traded
  accusations.&lt;/p&gt;</description>
</item>
<item>
  <title>Paris et Berlin annoncent un accord</title>
  <link>/world/paris-berlin</link>
  <pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
</item>
<item>
  <title>A story that was taken down</title>
  <link>{base}/world/removed</link>
  <pubDate>Wed, 06 Mar 2024 11:00:00 GMT</pubDate>
</item>
<item>
  <title>Kenya and Ethiopia reopen the Moyale crossing</title>
  <link>{base}/world/moyale</link>
  <pubDate>Thu, 07 Mar 2024 09:15:00 GMT</pubDate>
</item>
</channel>
</rss>
"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Ledger Atom</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2024-03-07T09:15:00Z</updated>
  <entry>
    <title>Kenya and Ethiopia reopen the Moyale crossing</title>
    <link href="{base}/world/moyale"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-03-07T09:15:00Z</updated>
    <summary type="html">&lt;p&gt;Trucks can cross again.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Border talks resume</title>
    <link href="{base}/world/border-talks"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
    <published>2024-03-05T08:30:00Z</published>
    <updated>2024-03-09T08:30:00Z</updated>
  </entry>
</feed>
"""


PAGES = {
    "/world/border-talks": Route(ARTICLE),
    "/world/paris-berlin": Route(short_article(
        "Paris et Berlin annoncent un accord", "2024-03-06",
        "La France et l'Allemagne ont annoncé mercredi un accord sur la défense aérienne "
        "commune, après des mois de négociations entre les deux gouvernements.")),
    "/world/moyale": Route(BARE_ARTICLE),
    "/nav": Route(NAV_ONLY),
    "/report.pdf": Route(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", headers={
        "Content-Type": "application/pdf"}),
    "/photo.jpg": Route(b"\xff\xd8\xff\xe0\x00\x10JFIF", headers={"Content-Type": "image/jpeg"}),
}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml"}
