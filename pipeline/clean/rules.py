"""Patterns for the chrome that extraction leaves behind, grouped by removal reason.

Each pattern names a *kind* of chrome seen across many sites (WordPress comment forms,
newsletter widgets, share bars, wire-photo credits), not a phrase from one page. They are
matched case-insensitively against a whole paragraph with whitespace folded; most are
anchored so that a story sentence mentioning, say, a newsletter is never hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Reason


@dataclass(frozen=True, slots=True)
class Rule:
    reason: Reason
    name: str
    pattern: re.Pattern[str]


def _rules(reason: Reason, **patterns: str) -> tuple[Rule, ...]:
    return tuple(
        Rule(reason, name, re.compile(pattern, re.IGNORECASE)) for name, pattern in patterns.items()
    )


_SEE_ALSO_ABROAD = "leggi anche|lesen sie auch|lire aussi|leia também|veja também|читайте также"
"""'See also' in Italian, German, French, Portuguese and Russian: a teaser's lead-in."""

# A paragraph matching one of these ends the story: it and everything after it go.
END_MARKERS: tuple[Rule, ...] = _rules(
    Reason.END_OF_ARTICLE,
    leave_reply=r"^leave a (reply|comment)\W*$",
    enter_comment=r"^please enter your (comment|name)",
    next_post=r"^(next|previous|prev) (post|article|story)\W*$",
    also_like=r"^(you )?(may|might) (also )?(like|enjoy|be interested in)"
    r"( the (following|these)( \w+)?( as well)?)?\W*$",
    related=r"^(related|similar|more|recommended|popular|trending|latest|recent|other|top)"
    r"( \w+){0,2} (posts?|articles?|stories|news|reads?|coverage|videos?|content)\W*$",
    related_bare=r"^(related|recommended( for you)?|read (this )?(more|next|also)|see also"
    r"|explore more)\W*$",
    more_from=r"^more (from|on|in|by) [\w .,'’&-]{1,60}$",
    about_author=r"^about the (author|writer)s?\W*$",
    comments_heading=r"^(\d+ )?(comments?|responses?|replies|discussion)( \(\d+\))?\W*$",
    post_navigation=r"^post navigation$",
    share_article=r"^share (this|the) (article|story|post)\W*$",
)

RULES: tuple[Rule, ...] = (
    *_rules(
        Reason.BOILERPLATE,
        reprints=r"\bfor your personal,? non-?commercial use only\b",
        # A consent dialog: long, hence here (`screen.LONG_OK`) rather than with the short
        # cookie line of `THEME_WARNING`. "This website uses cookies to improve ...", then
        # each category: "Necessary cookies are absolutely essential ...".
        cookie_notice=r"^(we|this (site|website)) uses? cookies\b.{300,900}$",
        cookie_category=r"^((strictly )?necessary|essential|functional|functionality|performance"
        r"|analytics?|analytical|advertisement|advertising|marketing|targeting|preferences?"
        r"|statistics|(other )?uncategori[sz]ed) cookies (are|help|is|allow|enable|collect|track"
        r"|store|may)\b.{0,900}$",
    ),
    *_rules(
        Reason.REVISION_TRACKER,
        source_header=r"^this article is from the source\b",
        not_checked=r"won'?t be checked again for changes",
        last_changed=r"^it last changed .{0,40} ago\b",
        version_gap=r"^\((about )?[\w ]{1,20} (later|earlier)\)$",
        version_of=r"^(version|revision) \d{1,4} of \d{1,4}\W*$",
    ),
    *_rules(
        Reason.COMMENT_FORM,
        leave_reply=r"^leave a (reply|comment)\W*$",
        email_not_published=r"^your email address will not be published",
        required_marked=r"^required fields are marked",
        enter_fields=r"^please enter your (comment|name|email|website)( (here|address))?\W*$",
        save_name=r"^save my name,? email,? and website",
        must_log_in=r"^you must be (logged|signed) in to (post|leave) a comment",
        notify_me=r"^notify me of (follow-up comments|new (posts|comments))",
        post_comment=r"^(post|submit|add) (a )?comment\W*$",
        cancel_reply=r"^cancel reply$",
        akismet=r"^this site uses akismet",
        comments_closed=r"^comments are closed",
        join_conversation=r"^(join|start) the (conversation|discussion)\W*$",
    ),
    *_rules(
        Reason.WIDGET,
        form_error=r"^(sorry,? )?(an error (has )?occurred|there was an error|something went wrong)"
        r"\b.{0,80}$",
        affiliate=r"\b(may|might|will) (get|earn|receive|collect) (a )?(small )?(share|commission"
        r"|portion)( of (the )?(sales?|revenue))?\b.{0,120}$",
    ),
    *_rules(
        Reason.NEWSLETTER,
        widget_title=r"^[\w'’ &+-]{0,40}\bnewsletters?\W*$",
        your_inbox=r"^.{0,60}\b(in|to) your inbox\b.{0,60}$",
        subscribe=r"\b(subscribe|sign up|signup)\b.{0,40}\b(newsletter|mailing list|inbox)\b",
        email_field=r"^(your )?e-?mail( address)?\W*\*?\W*$",
        required_fields=r"^please (fill|enter) (in )?all required fields",
        invalid_entries=r"^correct invalid entries",
        click_to_hide=r"click to hide$",
        inbox=r"^get (the|our) .{0,60}\b(in|to) your inbox\b",
        thank_you=r"^thanks? (you )?for (subscribing|signing up)",
    ),
    *_rules(
        Reason.THEME_WARNING,
        menu_not_set=r"\bmenu is not set\b",
        create_menu=r"\byou need to create (a )?menu\b",
        php_error=r"^(warning|notice|deprecated|fatal error|parse error): .{0,300}\bon line \d+",
        widget=r"^(no|empty) widgets? (found|area)\b",
        js_required=r"^(please )?(enable|turn on) javascript\b",
        shortcode=r"^\[(?P<shortcode>\w+)( [^\]]*)?\].{0,200}\[/(?P=shortcode)\]\W*$",
        cookies=r"^(we|this (site|website)) uses? cookies\b.{0,300}$",
    ),
    *_rules(
        Reason.SEARCH_BOX,
        looking_for=r"^(hi,? )?what are you looking for\W*$",
        search=r"^(search|search for|search this site|search\.\.\.|type to search"
        r"|press enter to search|type and hit enter)\W*$",
        no_results=r"^(sorry, )?no results (were )?found\b",
    ),
    *_rules(
        Reason.TAGS,
        tags=r"^(tags?|tagged( with)?|filed under|categories|category|topics|keywords)\s*[:|]",
    ),
    *_rules(
        Reason.NAVIGATION,
        skip=r"^skip to (main |site )?(content|index|navigation|search)\W*$",
        advertisement=r"^(advertisement|advertising|sponsored( content)?|ad)\W*$",
        continue_reading=r"^continue reading( the main story)?\W*$",
        supported_by=r"^supported by\W*$",
        connect=r"^(connect|follow|find) (with )?us( on [\w ]{1,30})?\W*$",
        share=r"^(share|tweet|email|print|pin( it)?|whatsapp|facebook|twitter|linkedin|reddit|"
        r"copy link|share on \w+|share this|save|bookmark)( ?[|·•/] ?\w+)*\W*$",
        site_index=r"^site (index|information navigation|map)\W*$",
        menu=r"^(menu|main menu|home|close|open|sections|toggle navigation|back to top)\W*$",
        sign_in=r"^(sign in|sign up|log ?in|log ?out|register|subscribe( now)?|my account)\W*$",
        read_in=r"^(read|view|open) (this )?(in|on) (the )?(app|browser)\W*$",
        continues_below=r"^(story|article) continues below( advertisement)?\W*$",
        read_time=r"^\d+ min(ute)?s? read\W*$",
        listen=r"^listen to (this|the) (article|story)\b.{0,30}$",
        # language switchers: "Read in Spanish", "Lire en français", "阅读简体中文版" ...
        translations=r"^(?:\W*(?:(?:read|view)(?: this (?:article|story))? in [\w ]{3,25}"
        r"|(?:lire|leer|leia) (?:en|em) [\w ]{3,25}"
        r"|(?:阅读|閱讀)\w{1,6}版|\w{1,6}版で読む)\W*){1,6}$",
        loading=r"^loading\W*$",
        share_friend=r"\bshare (it|this( story| article)?) with (a|your) friends?\W*$",
        handles=r"^([\w ]{1,25}:\s*)?(@[\w.]+[,;]?\s*)+$",
    ),
    *_rules(
        Reason.FOOTER,
        copyright=r"^(©|\(c\)|copyright\b)\s*.{0,150}$",
        copyright_inline=r"^.{0,80}©\s*\d{4}.{0,150}$",
        rights=r"\ball rights reserved\W*$",
        developed_by=r"\b(developed|designed|powered|built) by [\w .-]{1,40}$",
        legal_links=r"^(privacy( policy)?|terms( of (use|service|sale))?|cookie (policy|settings)"
        r"|contact( us)?|about( us)?|careers|advertise( with us)?|help|sitemap|site map)\W*$",
    ),
    *_rules(
        Reason.CAPTION,
        file_photo=r"^file (photo|picture|image)\s*[:-]",
        credit_prefix=r"^(photo|photograph|picture|image|credit|illustration|video)s?"
        r"( credit)?\s*[:|]\s*.{0,300}$",
        credit_suffix=r"\((photo|image|picture|credit|photograph|illustration)s?( by)?:?"
        r" [^()]{2,80}\)\W*$",
        agency_credit=r"\(\s*[\w .'’-]{2,50}\s*/\s*[\w .'’&-]{2,60}\)\W*$",
        photograph_credit=r"\bphotograph: [\w .'’-]{2,60}(/[\w .'’-]{2,60})?\W*$",
        credit_dots=r"\bcredit\.\.\.",
        photo_copyright=r"\b(photos?|images?|pictures?|fotos?)\s*(©|\(c\))",
        wire_credit=r"\b(reuters|afp|ap|epa|getty images|ap photo|xinhua)/[\w .'’-]{2,40}\W*$",
    ),
    *_rules(
        Reason.TEASER,
        # "Read more: <headline>", "Related: <headline>", "(Leggi anche: ...)": a link
        # to another story set inside this one.
        see_also=r"^[(\[]?(related( \w+)?|read (more|also|next)|see (more|also)|also read|more"
        r"|more (stories|news|coverage)|must read|don'?t miss|recommended|watch|listen"
        rf"|{_SEE_ALSO_ABROAD}|leggi anche su|à lire aussi|lea también|ver también)"
        r"\s*[:|»>]\s*\S.{0,300}$",
        also_on=r"^also (on|at|in) [\w-]+(\.[\w-]+)+\b.{0,200}$",
        see_also_bare=r"^(don'?t miss|must read|read more|see more|more|related( \w+)?"
        rf"|{_SEE_ALSO_ABROAD})\W*$",
        truncated_excerpt=r"\[(…|\.\.\.)\]\W*$",
        byline_excerpt=r"^by [A-Z][\w.'’-]+( [\w.'’-]+){0,12} .{0,400}(\.\.\.\.?|…)$",
    ),
)

# Credits, bios and social prompts: prose-like, so trusted only at the end of the story
# (`clean._peel_tail` walks back from the last paragraph while these match).
TAIL_RULES: tuple[Rule, ...] = (
    *_rules(
        Reason.CREDITS,
        reporting_by=r"^[(\[]?(additional )?(reporting|writing|editing|research)( was)? by\b"
        r".{0,300}$",
        contributed=r"\bcontributed (reporting|research|to this (report|story|article))\b.{0,100}$",
        staff_writers=r"^(\w+ ){0,4}(staff )?(writers?|correspondents?|reporters?)"
        r" [\w ,.'’-]{2,200} contributed\b",
        bio=r"^[\w.'’ -]{2,60} (is|was) (a|an|the|[\w.'’-]+['’]s?) [\w ,.'’&-]{0,80}"
        r"\b(writer|reporter|editor|correspondent|journalist|columnist|contributor|curator|producer|author|critic"
        r"|host|analyst|fellow|professor)s?\b.{0,300}$",
    ),
    *_rules(
        Reason.SOCIAL,
        follow=r"\bfollow (us|him|her|them|me|@?[\w.&'’ -]{1,50}) (on|at) (facebook|twitter|x|"
        r"instagram|youtube|linkedin|tiktok|threads|bluesky|mastodon)\b.{0,200}$",
        contact=r"^(write to|reach|contact|e-?mail|follow) .{0,80}(@\w|\bon twitter\b|https?://)",
        subscribe_channel=r"^(subscribe to|like) .{0,60} on (youtube|facebook|instagram|twitter"
        r"|spotify|apple podcasts)\b",
        more_from=r"^more [\w .&'’-]{1,40}:\s*(https?://|www\.)",
        email_only=r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$",
        listen_live=r"^(listen|watch) (to )?.{1,60}\b(live|podcast|on demand)\b.{0,80}$",
        phone=r"\b(tel|phone|fone|telefone|fax|tél)\.?\s*:?\s*[+(]?\d[\d ()./-]{5,}",
    ),
    *_rules(
        Reason.BOILERPLATE,
        about_company=r"^[\w.&'’ -]{2,60} is (a|an|the) ([\w'’-]+ ){0,4}(provider|supplier"
        r"|manufacturer|company|developer|maker|group|firm|leader|organization|organisation"
        r"|publisher|network)\b",
    ),
)
