/**
 * What a block's own text says about it, whatever the markup: ad labels and controls,
 * publication stamps, legal notices and disclaimers, paywall and sign-up prompts, photo credits,
 * and the headings that announce comments, related stories or a press release's boilerplate.
 * Patterns and predicates only; where and how they cut the article is html-extract.ts's business.
 */

/** Teaser snippets are cut off with an ellipsis. */
export const TRUNCATED = /(?:\.\.\.|…|\.\s\.\s\.)\s*(?:[\])）»>›]|更多|more|далее|mehr|plus|xem thêm)?\s*$/iu;
/** Copyright and legal notices. */
export const LEGAL = /(©|copyright|\(c\)\s*(?:19|20)\d\d|all rights reserved|правообладател|все права защищены|版权所有|版權所有|bản quyền|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados)/i;
/**
 * Notices printed under an article: disclaimers, reprint terms, "found a typo? press Ctrl+Enter",
 * the desk editor's credit. Short blocks only (a disclaimer is not an article paragraph).
 * Two patterns, because the Han ones need no case folding and one case-insensitive Unicode
 * pattern over both scripts took three times as long (it runs on every short block).
 */
const NOTICE_HAN =
  /免责声明|免責聲明|(?:^|[【[(（])(?:网易|新浪网|本网|本站|本網)?声明[：:]|聲明[：:]|不得转载|不得轉載|转载[^。]{0,20}(?:目的|出于|不代表|并不)|轉載[^。]{0,20}(?:目的|出於|出于|不代表)|责任编辑[：:]|責任編輯[：:]|\(责任编辑|（责任编辑|（責任編輯/;
const NOTICE_OTHER =
  /ctrl\s*\+\s*enter|disclaimer:|haftungsausschluss|reprints? (?:&|and) permissions|miễn trừ trách nhiệm|оставляет за собой право удал|reserves the right to (?:remove|delete)|\bfiled under\b|responses to this entry|(?:questions or comments|comments or questions) about this story|for media (?:interviews|inquiries)|(?:media|press) contact:/i;

export function isNotice(text: string): boolean {
  return NOTICE_HAN.test(text) || NOTICE_OTHER.test(text);
}

/**
 * A paywall or sign-up prompt: "reserved for subscribers", "subscribe to unlock more articles",
 * "register / sign in to continue", "la suite est réservée aux abonnés". Short blocks only; the
 * rest of the promo box it heads (its list of subscriber benefits) goes with it
 * (PAYWALL_BOX_TOKENS in html-extract.ts).
 */
const PAYWALL =
  /(reserved for (?:our )?subscribers|for subscribers only|subscribers only|exclusive (?:to|for) [\p{L}+ ]{0,30}subscribers|subscribe (?:now |today )?(?:to (?:read|unlock|continue|keep reading|[\p{L}+ ]{0,20}to read)|for (?:more articles|unlimited access))|(?:register|sign in|log in|subscribe)(?: \/ (?:register|sign in|log in))? to (?:unlock|continue (?:reading|with your reading)|read the (?:full|rest)|keep reading)|create an account or (?:sign|log) in|sign in or create an account|to read the rest of this (?:story|article),? subscribe|(?:sign up for|subscribe to|join) (?:the |our )?[^.!?]{0,40}(?:newsletter|daily briefing|mailing list)|donate to [^.!?]{1,40} (?:now|today)|(?:made possible|supported) by (?:the support of )?readers like you|(?:support|supporting) [\p{L} -]{0,30}journalism by subscribing|réservée? aux abonnés|il vous reste [\d.,]+ ?% de cet article|votre abonnement n.autorise pas|nur für abonnenten|jetzt abonnieren und|exclusivo para suscriptores|suscr[ií]bete para (?:seguir leyendo|leer)|доступ(?:но|ен) только (?:для )?подписчик|оформите подписку,? чтобы|подпишитесь,? чтобы (?:читать|прочитать)|订阅后(?:可)?阅读|登录后(?:可)?(?:查看|阅读)全文|付费(?:会员|订阅)(?:专享|可读)|会员专享|有料会員限定|続きを読むには|この記事は有料会員|구독자 전용|로그인 후 (?:계속|전체)|nội dung dành riêng cho (?:thành viên|người đăng ký|hội viên)|đăng ký (?:gói|tài khoản) để đọc)/iu;
/** A word every PAYWALL prompt has: a cheap first test (no Unicode mode, few alternatives). */
const PAYWALL_KEY = /subscri|sign in|log in|regist|account|journalism|abonn|suscr|подпис|подпиш|il vous reste|订阅|登录|付费|会员|有料|続き|구독|로그인|đăng ký|dành riêng|donate|readers like|newsletter|briefing|mailing list/i;

export function isPaywallNotice(text: string, tokens: number): boolean {
  // Every prompt has three words (or CJK characters) at least: menu items are not tested.
  return tokens >= 3 && tokens <= 40 && PAYWALL_KEY.test(text) && PAYWALL.test(text);
}

/**
 * A photo caption outside <figcaption>, told by the credit it ends with: "... (Image: Getty)",
 * "... Photo: iRunFar/Bryon Powell", "Credit: Clark Tate", or a block that is only the agency
 * ("Getty Images", "Francesco Carta | Moment | Getty Images").
 */
const CREDIT_END =
  /(?:\((?:image|photo|picture|pictured|photograph|credit|foto|bild|фото)s?\s*:\s*[^()]{1,80}\)|(?:^|[.!?"”’)]\s+|\s)(?:photo|image|picture|photograph|credit|foto|bild|фото|ảnh)s?\s*:\s*[^.!?:]{1,80})$/iu;
const AGENCY_ONLY = /^(?:[\p{L}\p{N} .'’-]{1,40}\s*[|/,]\s*){0,3}(?:getty images|reuters|afp|ap|ap photo|associated press|shutterstock|epa|alamy|istock(?:photo)?)$/iu;
const AGENCY_END = /(?:images|reuters|afp|ap|photo|press|shutterstock|epa|alamy|istock|istockphoto)\s*$/i;
/** Longest caption recognised by its credit (tokens). */
const CREDIT_CAPTION_TOKENS = 60;

export function isCreditCaption(text: string, tokens: number): boolean {
  if (tokens > CREDIT_CAPTION_TOKENS) return false;
  // Cheap gates first (this runs on every block): a credit ends the block within 85 characters
  // of its colon; an agency-only line is short and ends with the agency's name.
  const colon = text.lastIndexOf(":");
  if (colon >= 0 && text.length - colon <= 85 && CREDIT_END.test(text.trim())) return true;
  return tokens <= 10 && AGENCY_END.test(text) && AGENCY_ONLY.test(text.trim());
}

/** A block that is only an ad slot's label or a "read more" control. */
const LABEL =
  /^(?:advertisement|advertising|advert|sponsored(?: content)?|anzeige|werbung|publicité|publicidad|pubblicità|реклама|广告|廣告|quảng cáo|광고|広告|read more|continue reading|weiterlesen|mehr lesen|lire la suite|читать далее|читать полностью|阅读全文|閱讀全文|xem thêm|더보기|続きを読む|more|start quote|end quote|font|text size|change text size|view full caption|short url|table of contents|contents|in this article|on this page|inhaltsverzeichnis|sommaire|содержание|目录|目錄|mục lục|目次|목차)$/iu;

/**
 * A publication stamp printed in the article: "Updated: Wed Jan. 11 2012 17:05:16", "Last
 * updated on June 2, 2025", "First Posted: Jan 12, 2012 7:18am | Last Updated: ...",
 * "Опубликовано: 12.01.2012". The date is read from the page's lines separately; in the body it
 * is not article text.
 */
const STAMP_LABEL =
  /^(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified|created|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|опубликовано|обновлено|发布时间|更新时间|發布時間|更新時間|cập nhật|đăng lúc)(?:\s+(?:on|am|le|el))?\s*[:：]?\s*(?=\d|(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ,]+\d|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|ngày|\p{Lu}?[\p{Ll}]+,? \d)[^\n]{1,90}$/iu;
const STAMP_LABEL_TOKENS = 20;
const HAS_DIGIT = /\d/;

/** An unfilled template placeholder left in the page: "$$ARTICLEAD$$", "{{ad_slot}}", "%%AD%%". */
const PLACEHOLDER = /^(?:\$\$[\w-]+\$\$|\{\{[^{}]{1,40}\}\}|%%[\w-]+%%)$/u;

export function isLabel(b: { text: string; tokens: number }): boolean {
  if (b.tokens <= 3 && PLACEHOLDER.test(b.text.trim())) return true;
  // A stamp has a date, so a digit: most short blocks have none, and that test is cheap.
  if (b.tokens <= STAMP_LABEL_TOKENS && b.text.length <= 120 && HAS_DIGIT.test(b.text) && STAMP_LABEL.test(b.text.trim())) return true;
  return b.tokens <= 3 && b.text.length <= 40 && LABEL.test(b.text.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, ""));
}

/**
 * A short line that announces the reader comments ("Comments (12)", "Комментарии", "评论"), after
 * its digits and punctuation are dropped.
 */
const COMMENT_HEADING =
  /^(?:(?:reader|user|readers|your|latest|all|show|view)\s+)?(?:comments?|comments? (?:are |is )?(?:now )?closed(?: for this (?:story|article|post|page))?|leave a (?:comment|reply)|add (?:a )?comment|post a comment|write a comment|join the (?:discussion|conversation)|kommentare?|kommentar schreiben|commentaires?|comentarios?|commenti|reacties|комментари[йиея]|оставить комментарий|добавить комментарий|отзывы читателей|网友评论|發表評論|发表评论|我要评论|网友留言|相关评论|评论|評論|bình luận|ý kiến bạn đọc|gửi bình luận|コメント|コメントする|댓글|댓글 쓰기)$/iu;

/**
 * A short line that announces what follows the article: other stories ("You may also like",
 * "Смотрите также", "相关新闻", "Tin liên quan").
 */
const END_HEADING =
  /^(?:you (?:may|might) (?:also )?(?:like|enjoy)|related (?:articles?|posts?|stories|news|content|reading|coverage)|more (?:stories|articles|news)(?: from| like this| on this topic)?|more on this (?:topic|story|subject)|recommended(?: for you| articles| stories| reading)?|see also|most (?:read|popular|viewed)|popular (?:posts|articles|stories)|смотрите также|читайте также|материалы по теме|похожие (?:новости|статьи|материалы)|другие новости|相关新闻|相关阅读|相关文章|相关报道|相关链接|延伸阅读|推荐阅读|相關新聞|相關閱讀|延伸閱讀|tin liên quan|tin cùng chuyên mục|bài viết liên quan|das könnte sie auch interessieren|mehr zum thema|weitere artikel|auch interessant|関連記事|関連ニュース|관련 기사|관련기사)$/iu;

/**
 * A heading over the boilerplate a press release or blog post ends with: the company's "About
 * Acme Corp" paragraph, the author's bio ("About the author", "Über den Autor", "Об авторе").
 */
const ABOUT_HEADING =
  /^(?:about (?:the )?(?:author|authors|contributor|writer|us)|über (?:den autor|die autorin|die autoren|uns)|à propos de l.auteur|sobre el autor|об авторе|关于作者|作者简介|về tác giả|著者について|필자 소개)$/iu;
/** "About" and a name (capitalised: "About filing your tax return" is a subheading). */
const ABOUT_NAME = /^About \p{Lu}[\p{L}\p{N}.&'’ -]{1,60}$/u;

export function isAboutHeading(text: string, tokens: number): boolean {
  if (tokens > 6) return false;
  const t = text.trim();
  return ABOUT_HEADING.test(t) || ABOUT_NAME.test(t);
}

export function isEndHeading(text: string, tokens: number): boolean {
  if (tokens > 8) return false;
  const letters = text.replace(/[^\p{L}\s]+/gu, "").replace(/\s+/gu, " ").trim();
  return END_HEADING.test(letters);
}

/** A comment's header line: a short block with a date and a clock time ("07.01.2012, 17:44", "2005-06-10 05:53:20"). */
const STAMP_DATE = /(?:\d{1,4}[-./年]\d{1,2}[-./月]\d{1,4}|\b(?:19|20)\d\d\b)/u;
const STAMP_TIME = /\b\d{1,2}:\d{2}\b/u;

export function isCommentHeading(text: string, tokens: number): boolean {
  if (tokens > 8) return false;
  const letters = text.replace(/[^\p{L}\s]+/gu, "").replace(/\s+/gu, " ").trim();
  return COMMENT_HEADING.test(letters);
}

/** Whether the text has a date and a clock time. */
export function hasDateAndClock(text: string): boolean {
  return STAMP_TIME.test(text) && STAMP_DATE.test(text);
}

export function isTimestampLine(text: string, tokens: number): boolean {
  return tokens <= 12 && text.length <= 80 && hasDateAndClock(text);
}
