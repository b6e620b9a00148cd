"""Every Swedish string Styrbot shows people: on the command line, in Slack and on the web page."""

from __future__ import annotations

EMPTY_QUESTION = "Frågan är tom. Skriv en fråga, till exempel: ”När ska delårsrapporten vara klar?”"
QUESTION_TOO_LONG = "Frågan är för lång: skriv den med högst {limit} tecken."
MORE_PARTS = (
    "Meddelandet har fler frågor än så. Jag svarar på {count} åt gången – ställ gärna resten i ett nytt meddelande."
)
UNKNOWN_MUNICIPALITY = "Okänd kommun: ”{municipality}”. Kända kommuner: {known}."
PROFILE_ERROR = "Fel i regelprofilen: {error}"
SETTINGS_ERROR = "Fel i inställningarna: {error}"
BATCH_BAD_JSON = "Raden är inte giltig JSON: {error}"
BATCH_NOT_OBJECT = "Raden måste vara ett JSON-objekt med fältet ”question”."
BATCH_READ_ERROR = "Kan inte läsa filen {path}: {error}"
NO_QUESTION_GIVEN = "Ange en fråga, eller en fil med --batch."
QUESTION_AND_BATCH = "Ange antingen en fråga eller --batch, inte båda."
BAD_DATE = "Ogiltigt datum ”{value}”: använd formatet ÅÅÅÅ-MM-DD."
BAD_DAYS = "Antalet dagar måste vara mellan 1 och 3660."
SOURCES = "Källor:"
DEADLINES_HEADER = "Årshjulet för {name}, {start} – {end}:"
DEADLINES_UNDATED = "Utan fast datum:"
DEADLINES_UNDATED_LAW = "  Dessutom finns {count} regler i lagen utan fast datum. Visa dem med --all."
NO_DEADLINES = "Inga händelser med datum i perioden."
LOCAL_MARK = "lokal"
LAW_MARK = "lag"
# A message with several questions: each is quoted before its answer.
PART_QUESTION = "”{question}”"
# An English question gets the Swedish answer after one English line (the documents are Swedish).
ENGLISH_ANSWERED = "(In English: the answer below is in Swedish, the language of the municipality's documents.)"
ENGLISH_ABSTAINED = (
    "(In English: the municipality's documents and the law do not answer this, so I will not guess; "
    "please ask the municipality's registry office, kansliet. Details in Swedish below.)"
)
EVAL_FILE_ERROR = "Kan inte läsa frågesetet {path}: {error}"
EVAL_LINE_ERROR = "{path}, rad {line}: {error}"
EVAL_CHAT_ANSWERABLE = "  frågor med svar: {correct}/{n} rätt ({share:.1%})"
EVAL_CHAT_UNANSWERABLE = "  frågor utan svar i källorna: {abstained}/{n} avstod"
EVAL_CHAT_BAD = "  avstod felaktigt: {abstained}; regelsvar som missar ett faktum: {wrong}"
EVAL_CHAT_BY_CATEGORY = "  per kategori:"
EVAL_CHAT_BY_STYLE = "  per stil:"
EVAL_CHAT_ROW = "    {name:<14} {correct}/{n}"
EVAL_CHAT_ABSTAINED = "avstod"
EVAL_CHAT_FAILURE = "  fel {id}: {question}\n      fick {got}, saknar: {missing}\n      ”{answer}”"
INGEST_PROGRESS = "Läser in dokument"
INGEST_SUMMARY = "Inlästa: {ingested}, oförändrade: {skipped}, misslyckade: {failed}, borttagna: {pruned}."
INGEST_FAILED_LINE = "  misslyckades: {path}: {reason}"
# Why a file could not be read, per ingest error class (the parser's English detail is for developers only).
INGEST_FAILURES = {
    "UnsupportedFormat": "filtypen kan inte läsas (Styrbot läser PDF, Word, PowerPoint, HTML, Markdown och text)",
    "DamagedDocument": "filen är skadad eller ofullständig – spara eller exportera den på nytt",
    "EncryptedDocument": "filen är lösenordsskyddad – lägg in en kopia utan lösenord",
    "EmptyDocument": "filen är tom eller innehåller ingen text",
    "NeedsOCR": "filen har ingen text att läsa (inskannade bilder) – den behöver textigenkänning (OCR) först",
    "TooLarge": "filen är för stor",
    "TooMuchContent": (
        "filen packas upp till mer innehåll än Styrbot läser ur ett dokument – dela upp det i mindre filer"
    ),
    "OSError": "filen kunde inte öppnas",
}
INGEST_FAILURE_OTHER = "filen kunde inte läsas"


def ingest_reason(error_type: str) -> str:
    """Why a file was not read, as one Swedish sentence ("Filen är tom eller innehåller ingen text.")."""
    reason = INGEST_FAILURES.get(error_type, INGEST_FAILURE_OTHER)
    return f"{reason[:1].upper()}{reason[1:]}."


DEMO_INGEST = (
    "Inga dokument är inlästa ännu: läser in demokorpusen ({files} filer) en gång, det tar några sekunder. "
    "(STYRBOT_DEMO=0 stänger av det.)"
)
DEMO_INGEST_FILE = "  [{done}/{total}] {name}"

# 👍/👎 under an answer, in every channel
FEEDBACK_UP = "👍 Bra svar"
FEEDBACK_DOWN = "👎 Inte till hjälp"
THANKS_UP = "Tack! Din återkoppling är sparad."
THANKS_DOWN = (
    "Tack! Din återkoppling är sparad, så att svaret kan bli bättre. Behöver du svar nu, fråga kommunens kansli."
)
FEEDBACK_NOT_SAVED = "Jag kunde inte spara din återkoppling just nu. Försök igen om en stund."
STALE_BUTTON = "Knappen hör till ett svar som jag inte kan läsa längre. Ställ frågan igen, så svarar jag på nytt."

# Slack
SLACK_WORKING = "Jag letar i årshjulet, reglerna och dokumenten …"
SLACK_READING_IN = "Jag läser in dokumenten första gången, så svaret kan dröja några sekunder …"
SLACK_UNVERIFIED = "Begäran är inte signerad av Slack."
SLACK_EMPTY = (
    "Skriv din fråga efter mitt namn eller efter /styrbot, till exempel: "
    "”När ska delårsrapporten vara klar?” eller ”Vem beslutar om skattesatsen?”"
)
FAILED = (
    "Något gick fel när jag skulle svara, så jag har inget svar just nu. "
    "Försök igen om en stund; händer det igen, hör av dig till den som förvaltar Styrbot."
)
SLACK_SHARE = "Dela i kanalen"
SLACK_SHARED_BY = "<@{user}> delade svaret på frågan ”{question}”"
SLACK_SHARED = "Svaret är delat i kanalen."
FACT_ROW = "{label}: {value}"  # one of an answer's fact rows (`bot.facts`) as a line of text
SLACK_HALF_CONFIGURED = (
    "styrbot: Slack över HTTP behöver både SLACK_BOT_TOKEN och SLACK_SIGNING_SECRET; /slack/events är avstängt."
)
SLACK_SOCKET_TOKENS = "Socket Mode behöver SLACK_APP_TOKEN (xapp-…) och SLACK_BOT_TOKEN (xoxb-…)."

# Teams
TEAMS_EMPTY = (
    "Skriv din fråga till mig, i en kanal efter @Styrbot, till exempel: "
    "”När ska delårsrapporten vara klar?” eller ”Vem beslutar om skattesatsen?”"
)
TEAMS_HALF_CONFIGURED = (
    "styrbot: Teams behöver TEAMS_APP_ID, TEAMS_APP_SECRET och TEAMS_TENANT_ID; /api/messages är avstängt."
)

# The database and feedback
DATABASE_ERROR = "Kan inte öppna databasen (STYRBOT_DATABASE_URL): {error}"
FEEDBACK_SUMMARY = "Återkoppling: {up} 👍, {down} 👎 på {answers} svar."
FEEDBACK_NONE = "Ingen återkoppling ännu."
FEEDBACK_LINE = "  {vote} {when} [{kind}] {question}"
QUESTIONS_ON = "Frågeloggen är på och sparar frågor i {days} dagar (✗ = dokumenten gav inget svar)."
QUESTIONS_OFF = "Frågeloggen är av (STYRBOT_LOG_QUESTIONS=1 slår på den). Sparade frågor visas ändå tills de gallras."
QUESTIONS_NONE = "Inga frågor loggade ännu."
QUESTIONS_LINE = "  {mark} {when} {channel} [{kind}] {question}"

# Reminders
REMINDER_TITLE = "⏰ {title}"
REMINDER_FALLBACK = "Påminnelse: {title} – {when}."
REMINDER_BY_DAY = "senast {date} – {left}."
REMINDER_IN_MONTH = "under {month}, senast {date} – {left}."
REMINDER_TODAY = "i dag"
REMINDER_TOMORROW = "i morgon"
REMINDER_DAYS = "om {days} dagar"
REMINDER_WHO = "👥 Ansvarig: {who}"
REMINDER_SOURCE = "Källa: {source}"
REMINDER_DONE_BUTTON = "✅ Klar"
REMINDER_SNOOZE_BUTTON = "Påminn i morgon"
REMINDER_MARKED_DONE = "✅ Klart – markerat av <@{user}>. Inga fler påminnelser om detta här."
REMINDER_SNOOZED = "🔁 <@{user}> bad om en ny påminnelse {when} kl. 08.30."
REMINDER_TOO_LATE = "Fristen har gått ut till dess, så det blir ingen ny påminnelse. Knappen Klar finns kvar."
REMINDER_ENDED = "Den här kanalens prenumeration på påminnelserna är avslutad, så knappen gör inget längre."
REMINDER_NOT_SAVED = "Jag kunde inte spara det just nu. Försök igen om en stund."
REMINDERS_NO_TOKEN = "Påminnelser skickas via Slack och behöver SLACK_BOT_TOKEN (xoxb-…)."
REMINDERS_SIMULATE_BOTH = "Ange både --simulate-from och --simulate-to, eller ingen av dem."
REMINDERS_SIMULATE_ORDER = "--simulate-to måste vara samma dag som eller efter --simulate-from."
REMINDERS_BAD_LEAD_DAYS = "Påminnelsedagar anges som heltal mellan 1 och 365, till exempel 14,2."
REMINDERS_SUBSCRIBED = "Kanalen {channel} får påminnelser från årshjulet för {name} ({what}), {leads} dagar före."
UNKNOWN_TAG = "Okänd tagg: ”{tag}”. Taggar i årshjulet för {name}: {known}."
REMINDERS_ALL_EVENTS = "alla händelser"
REMINDERS_TAGS = "taggar: {tags}"
REMINDERS_UNSUBSCRIBED = "Avslutade prenumerationer: {count}."
REMINDERS_NONE = "Inga prenumerationer."
REMINDERS_TICK = "{moment}: {sent} skickade, {failed} misslyckade"
REMINDERS_DONE = "Klart: {sent} påminnelser skickade, {failed} misslyckade försök."
REMINDERS_LOG_EMPTY = "Inga påminnelser har skickats ännu."

# The calendar feed and the wheel
CALENDAR_NAME = "Årshjul – {name}"
CALENDAR_DESCRIPTION = "Händelser och frister i årshjulet för {name}, med ansvarig och källa. Från Styrbot."
CALENDAR_UNDATED = "{count} händelser räknas från ett sammanträde och har inget fast datum; de finns i Styrbot."
CALENDAR_RULE = "När: {rule}"
CALENDAR_WHO = "Ansvarig: {who}"
CALENDAR_SOURCE = "Källa: {source}"
WHEEL_TITLE = "Årshjul {year}"
WHEEL_TODAY = "I dag {date}"
WHEEL_EVERY_MONTH = "Varje månad:"
WHEEL_WHOLE_MONTH = "Under månaden: {title}"
WHEEL_CATEGORIES = {
    "ekonomi": "Ekonomi och budget",
    "uppföljning": "Uppföljning",
    "sammanträde": "Sammanträden och protokoll",
    "bolag": "Bolag och revision",
    "val": "Val",
    "övrigt": "Övrigt",
}

# /arshjul in Slack
ARSHJUL_HELP = (
    "Så använder du /arshjul:\n"
    "• `/arshjul kommande` – frister i årshjulet de närmaste 30 dagarna (`/arshjul kommande 90` för fler)\n"
    "• `/arshjul prenumerera` – påminnelser i den här kanalen före varje frist. Välj gärna kommun, taggar och "
    "dagar före, i valfri ordning: `/arshjul prenumerera strangnas ekonomi bolag 14 2`\n"
    "• `/arshjul avsluta` – inga fler påminnelser i kanalen\n"
    "• `/arshjul bild` – årshjulet som bild"
)
ARSHJUL_UPCOMING_HEADER = "Årshjulet för {name} – de närmaste {days} dagarna:"
ARSHJUL_UPCOMING_NONE = "Inga frister i årshjulet för {name} de närmaste {days} dagarna."
ARSHJUL_UPCOMING_MORE = "… och {count} till. Kalenderfilen i Styrbot har alla."
ARSHJUL_UPCOMING_HINT = "Påminnelser här i kanalen: `/arshjul prenumerera`. Årshjulet som bild: `/arshjul bild`."
ARSHJUL_IN_MONTH = "under {month}, senast {date}"
ARSHJUL_WHO = " _({who})_"
ARSHJUL_SUBSCRIBED = (
    "<@{user}> slog på påminnelser från årshjulet för {name} här ({what}): {leads} dagar före varje frist "
    "och på dagen, kl. 08.30 på vardagar."
)
ARSHJUL_UNSUBSCRIBED = "<@{user}> stängde av påminnelserna från årshjulet här."
ARSHJUL_NOTHING_TO_END = "Den här kanalen har inga påminnelser att stänga av."
ARSHJUL_PICTURE_TITLE = "Årshjulet för {name} {year}"
ARSHJUL_PICTURE_FAILED = (
    "Jag kunde inte lägga upp bilden här. Bjud in mig till kanalen (`/invite @Styrbot`) och försök igen."
)

# The web API: every 4xx carries one of these as its `detail`
HTTP_NOT_FOUND = "Sidan eller resursen finns inte."
HTTP_METHOD = "Metoden {method} stöds inte här."
HTTP_INVALID = "Ogiltig begäran: {problems}."
HTTP_ERROR = "Begäran kunde inte hanteras ({status})."
HTTP_FIELD_MISSING = "{field} saknas"
HTTP_FIELD_TEXT = "{field} ska vara text"
HTTP_FIELD_NUMBER = "{field} ska vara ett heltal"
HTTP_FIELD_DATE = "{field} ska vara ett datum (ÅÅÅÅ-MM-DD)"
HTTP_FIELD_RANGE = "{field} är utanför det tillåtna intervallet"
HTTP_FIELD_JSON = "kroppen är inte giltig JSON"
HTTP_FIELD_INVALID = "{field} har ett ogiltigt värde"
HTTP_FIELD_TOO_LONG = "{field} är för lång (högst {max_length} tecken)"
HTTP_FIELD_TOO_SHORT = "{field} är för kort (minst {min_length} tecken)"
HTTP_FIELD_TOO_MANY = "{field} har för många delar (högst {max_length})"
HTTP_FIELD_ONE_OF = "{field} ska vara {expected}"
HTTP_BAD_BODY = "Innehållet i begäran kunde inte läsas. Skicka JSON med Content-Type: application/json."
HTTP_BAD_UPLOAD = "Innehållet i begäran kunde inte läsas. Skicka filerna som multipart/form-data i fältet ”files”."
HTTP_BODY = "kroppen"
RATE_LIMITED = "Du har ställt många frågor på kort tid. Vänta {seconds} sekunder och fråga igen."
ADMIN_OFF = "Dokumentadministrationen är avstängd: servern har ingen administratörsnyckel (STYRBOT_ADMIN_TOKEN)."
ADMIN_UNAUTHORIZED = "Logga in som administratör: skicka huvudet Authorization: Bearer <administratörsnyckel>."
ADMIN_WRONG_TOKEN = "Administratörsnyckeln är fel."
ADMIN_TOO_MANY_GUESSES = "För många försök med fel administratörsnyckel. Försök igen om {seconds} sekunder."
WHEEL_YEAR = "Årshjulet kan ritas för åren {first}–{last}."
UPLOAD_TOO_MANY = "För många filer på en gång: högst {limit} per uppladdning."
UPLOAD_CONFLICT = (
    "Det finns redan ett dokument med filnamnet ”{name}” för {other}. Byt namn på filen, eller ta bort det "
    "andra dokumentet först."
)
UPLOAD_CONFLICTS = "Filnamnen krockar med dokument som redan finns för en annan kommun."
GENERAL_DOCUMENTS = "alla kommuner (allmänt dokument)"
REQUEST_TOO_LARGE = "Begäran är för stor."
UPLOAD_TOO_LARGE = "Filen är för stor: högst {limit} MB får laddas upp."
UPLOAD_NO_FILES = "Bifoga minst en fil i fältet ”files”."
UPLOAD_BAD_NAME = "Filen saknar ett användbart namn."
UPLOAD_NOTHING_READ = "Ingen av filerna kunde läsas in."
UPLOAD_UNSUPPORTED = (
    "Ingen av filerna är en dokumenttyp som Styrbot läser (PDF, Word, PowerPoint, HTML, Markdown, text)."
)
# A new municipality's profile, drafted on the administrators' page
DRAFT_BAD_ID = (
    "Ange ett id för kommunen i fältet ”municipality”: 2–40 tecken, små bokstäver a–z, siffror och understreck, "
    "till exempel ”alvstrand”."
)
DRAFT_EXISTS = "Det finns redan ett utkast för ”{id}”. Granska det, eller ta bort det först."
PROFILE_EXISTS = "Det finns redan en profil för ”{id}”. Välj ett annat id för den nya kommunen."
DRAFT_NOTHING_READ = "Ingen av filerna gick att läsa, så det blev inget utkast."
DRAFT_NOT_FOUND = "Det finns inget utkast för ”{id}”."
DRAFT_ACCEPT_NOTHING = "Ange vilka poster som ska godkännas (”entries”), eller alla (”all”: true)."
DRAFT_NO_SUCH_ENTRY = "Utkastet har inga poster med id {ids}."
DOCUMENT_NOT_FOUND = "Dokumentet ”{id}” finns inte bland de inlästa dokumenten."
DOCUMENT_FILE_GONE = "Originalfilen till ”{title}” finns inte längre på servern. Läs in den på nytt."
FEEDBACK_UNAVAILABLE = "Återkoppling kan inte sparas just nu: servern har ingen databas."
DOCUMENTS_UNAVAILABLE = "Servern har inga dokument att visa."

# The facts of an answer as labelled rows (the web page)
ROW_DATE = "Nästa datum"
ROW_DAY = "Datum"  # a day the source gives without its year: not "next", it may have passed
ROW_IN_MONTH = "under {month}, senast {date}"
ROW_ACTOR = "Ansvarig"
ROW_RULE = "Regel"
ROW_DECIDES = "Beslutar"
ROW_BASIS = "Grund"
ROW_SIDE = "Vems fråga"
ROW_SIDE_VALUE = "{side} ({axis})"
ROW_WRITTEN_BY = "Formulerat av"
ROW_WRITTEN_BY_VALUE = "språkmodellen {model}, utifrån källorna nedan ([1] är den första källan)"

# Conversations (`bot.conversations`): answers to follow-ups that are about the answer before.
ASK_BACK = (
    "Jag är inte säker på vad du syftar på. Skriv gärna frågan i sin helhet, till exempel "
    "”Vem beslutar om flerårsplanen?”."
)
NO_SOURCE_BEFORE = (
    "Mitt förra svar byggde inte på någon källa, så det finns ingen att hänvisa till. Ställ gärna frågan i sin helhet."
)
UNDERSTOOD_AS = "Tolkat som: ”{question}”"
ASKED_WHERE = "Var står svaret på ’{question}’?"  # inside the ”…” of UNDERSTOOD_AS
ASKED_IF_LAW = "Är svaret på ’{question}’ lag eller kommunens egen regel?"
ASKED_NEXT = "Vad kommer efter svaret på ’{question}’ i årshjulet?"
ASKED_NEXT_KIND = "Vilken {noun} kommer efter svaret på ’{question}’ i årshjulet?"
ASKED_AGAIN = "När är nästa gång efter svaret på ’{question}’?"
NO_NEXT_STEP = (
    "Jag hittar inget steg efter det i årshjulet. Fråga gärna om det steg du menar, till exempel "
    "”När ska delårsrapporten vara klar?”."
)
STANDS_IN = "Det står i {where}."
ALSO_IN = "Samma sak står också i {where}."
IS_LAW = "Ja, det är lag: {where}."
IN_SHORT = "I korthet: {said}"
LOCAL_RULE = "Tidpunkten är {name}s egen ordning enligt {documents}, inte ett lagkrav."
LAW_SAYS = "Lagen säger om samma sak ({where}): {said}"
OWN_WORDS = "Det som står i {documents} är {name}s egen beskrivning."
REFERS_TO_LAW = "{documents} hänvisar själv till lagen för detta: {law}."
NO_PARAGRAPH = (
    "Svaret bygger på {documents}, inte på lagen: jag hittar ingen paragraf i kommunallagen eller någon annan "
    "lag jag har som säger samma sak."
)
NOT_IN_LAW = (
    "Jag hittar det inte i kommunallagen eller i någon annan lag jag har. Det står i {documents}, så det är "
    "{name}s egen regel, inte ett lagkrav."
)
