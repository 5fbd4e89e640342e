/*!
 * ticketbot chat widget: book a flight by chatting, from any web page.
 *
 *   <script src="https://HOST/widget.js" defer></script>
 *
 * Optional data-* attributes on that tag:
 *   data-endpoint  the chat API's origin (default: the origin this script came from)
 *   data-title     the panel's title (default: "Book a flight", in the UI language)
 *   data-accent    a CSS colour for the launcher, header and your messages (default #1d4ed8);
 *                  text on it is white, or black where white would be hard to read
 *   data-position  "right" (default) or "left": the corner of the launcher
 *   data-open      "true" opens the panel when the page loads
 *   data-lang      the widget's own words: "en", "fr" or "de" (default: the page's lang, else en);
 *                  the bot's replies come from the server as they are
 *
 * No framework, no build step. Everything lives in one Shadow DOM, so the page's CSS and
 * ours never mix; text is only ever set with textContent. One global: window.Ticketbot,
 * with open(), close() and newConversation().
 */
(function () {
  "use strict";

  if (window.Ticketbot) {
    return; // the tag was included twice: one widget is enough
  }

  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var data = (script && script.dataset) || {};

  var API = "/api/v1";
  var DEFAULT_ACCENT = "#1d4ed8";
  var REQUEST_TIMEOUT_MS = 30000;
  var SVG = "http://www.w3.org/2000/svg";

  // --- the widget's own words --------------------------------------------------------
  var STRINGS = {
    en: {
      title: "Book a flight", open: "Open chat", close: "Close chat", newConversation: "New conversation",
      conversation: "Conversation", you: "You said: ", bot: "ticketbot said: ", typing: "ticketbot is typing…",
      message: "Your message", placeholder: "Type your message…", send: "Send", quickReplies: "Quick replies",
      yes: "Yes", no: "No", startOver: "Start over", retry: "Try again", notSent: "Not sent",
      booked: "Booking confirmed", bookingCancelled: "Booking cancelled", reference: "Reference",
      destination: "Destination", arrival: "Arrival", origin: "From", departure: "Departure",
      at: "at", by: "by", before: "before", after: "after", around: "around",
      periods: { morning: "in the morning", afternoon: "in the afternoon", evening: "in the evening", night: "at night" },
      passenger: "Passenger", trip: "Trip", oneWay: "One-way", roundTrip: "Round trip", returning: "Return",
      travellers: "Travellers", cabin: "Cabin", airline: "Airline", stops: "Stops", nonstop: "Nonstop",
      cabins: { economy: "Economy", premium_economy: "Premium economy", business: "Business", first: "First" },
      adults: { one: "{n} adult", other: "{n} adults" }, children: { one: "{n} child", other: "{n} children" },
      network: "We couldn't reach ticketbot. Check your connection, then try again.",
      rateLimited: "You're sending messages a little too fast. Please wait {seconds} s, then try again.",
      unavailable: "ticketbot is briefly unavailable. Please try again in a moment.",
      invalid: "That message couldn't be sent. Please shorten or rephrase it.",
      failed: "Something went wrong on our side. Please try again.",
      expired: "Your previous conversation is no longer available, so a new one has started.",
    },
    fr: {
      title: "Réserver un vol", open: "Ouvrir la discussion", close: "Fermer la discussion",
      newConversation: "Nouvelle conversation", conversation: "Conversation", you: "Vous avez écrit : ",
      bot: "ticketbot a répondu : ", typing: "ticketbot écrit…", message: "Votre message",
      placeholder: "Écrivez votre message…", send: "Envoyer", quickReplies: "Réponses rapides", yes: "Oui",
      no: "Non", startOver: "Recommencer", retry: "Réessayer", notSent: "Non envoyé",
      booked: "Réservation confirmée", bookingCancelled: "Réservation annulée", reference: "Référence",
      destination: "Destination", arrival: "Arrivée", origin: "Départ de", departure: "Départ",
      at: "à", by: "au plus tard à", before: "avant", after: "après", around: "vers",
      periods: { morning: "le matin", afternoon: "l'après-midi", evening: "le soir", night: "la nuit" },
      passenger: "Passager", trip: "Trajet", oneWay: "Aller simple", roundTrip: "Aller-retour", returning: "Retour",
      travellers: "Voyageurs", cabin: "Classe", airline: "Compagnie", stops: "Escales", nonstop: "Sans escale",
      cabins: { economy: "Économique", premium_economy: "Premium économique", business: "Affaires", first: "Première" },
      adults: { one: "{n} adulte", other: "{n} adultes" }, children: { one: "{n} enfant", other: "{n} enfants" },
      network: "Impossible de joindre ticketbot. Vérifiez votre connexion, puis réessayez.",
      rateLimited: "Vous envoyez des messages un peu trop vite. Patientez {seconds} s, puis réessayez.",
      unavailable: "ticketbot est momentanément indisponible. Réessayez dans un instant.",
      invalid: "Ce message n'a pas pu être envoyé. Raccourcissez-le ou reformulez-le.",
      failed: "Un problème est survenu de notre côté. Veuillez réessayer.",
      expired: "Votre conversation précédente n'est plus disponible : une nouvelle a commencé.",
    },
    de: {
      title: "Flug buchen", open: "Chat öffnen", close: "Chat schließen", newConversation: "Neues Gespräch",
      conversation: "Gespräch", you: "Sie schrieben: ", bot: "ticketbot antwortete: ", typing: "ticketbot schreibt…",
      message: "Ihre Nachricht", placeholder: "Nachricht eingeben…", send: "Senden", quickReplies: "Schnellantworten",
      yes: "Ja", no: "Nein", startOver: "Neu beginnen", retry: "Erneut versuchen", notSent: "Nicht gesendet",
      booked: "Buchung bestätigt", bookingCancelled: "Buchung storniert", reference: "Buchungsnummer",
      destination: "Ziel", arrival: "Ankunft", origin: "Von", departure: "Abflug",
      at: "um", by: "spätestens um", before: "vor", after: "nach", around: "gegen",
      periods: { morning: "morgens", afternoon: "nachmittags", evening: "abends", night: "nachts" },
      passenger: "Fluggast", trip: "Reise", oneWay: "Nur Hinflug", roundTrip: "Hin- und Rückflug", returning: "Rückflug",
      travellers: "Reisende", cabin: "Reiseklasse", airline: "Fluggesellschaft", stops: "Zwischenstopps",
      nonstop: "Ohne Zwischenstopp",
      // the German names of the cabins are the airlines' own (Lufthansa, Swiss, Austrian)
      cabins: {
        economy: "Economy Class", premium_economy: "Premium Economy Class", business: "Business Class",
        first: "First Class",
      },
      adults: { one: "{n} Erwachsener", other: "{n} Erwachsene" }, children: { one: "{n} Kind", other: "{n} Kinder" },
      network: "ticketbot ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
      rateLimited: "Sie senden etwas zu schnell. Bitte warten Sie {seconds} s und versuchen Sie es dann erneut.",
      unavailable: "ticketbot ist kurz nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
      invalid: "Diese Nachricht konnte nicht gesendet werden. Bitte kürzen oder umformulieren.",
      failed: "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.",
      expired: "Ihr früheres Gespräch ist nicht mehr verfügbar, daher hat ein neues begonnen.",
    },
  };

  // What the quick replies send: the bot understands English, whatever the UI's language.
  var QUICK_REPLIES = [["yes", "yes"], ["no", "no"], ["startOver", "start over"]];

  function pickLanguage() {
    var wanted = [data.lang, document.documentElement.lang, "en"];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").toLowerCase().split("-")[0];
      if (Object.prototype.hasOwnProperty.call(STRINGS, code)) {
        return code;
      }
    }
    return "en";
  }

  function endpointOf() {
    var base = data.endpoint || (script && script.src) || window.location.href;
    try {
      var url = new URL(base, window.location.href);
      return data.endpoint ? url.href.replace(/\/+$/, "") : url.origin;
    } catch (error) {
      return window.location.origin;
    }
  }

  var LANG = pickLanguage();
  var T = STRINGS[LANG];
  var ENDPOINT = endpointOf();
  var STORE_KEY = "ticketbot:" + ENDPOINT;
  var OPEN_KEY = "ticketbot:open:" + ENDPOINT;

  // --- colours: WCAG 2 relative luminance and contrast ----------------------------------
  function luminance(rgb) {
    var channels = rgb.map(function (value) {
      var c = value / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function parseRgb(text) {
    var match = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(text || "");
    if (!match || (match[4] !== undefined && Number(match[4]) < 1)) {
      return null; // unknown, or translucent: its look would depend on the page behind it
    }
    return [Number(match[1]), Number(match[2]), Number(match[3])];
  }

  // --- the style sheet (inside the shadow root only) --------------------------------------
  var CSS = [
    ":host { all: initial !important; display: block !important; }",
    "*, *::before, *::after { box-sizing: border-box; }",
    "[hidden] { display: none !important; }",
    ".root { all: initial; display: block; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto,",
    "  'Helvetica Neue', Arial, sans-serif; color: #1f2328; -webkit-text-size-adjust: 100%; }",
    ".sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;",
    "  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }",
    "button, input { font: inherit; color: inherit; margin: 0; }",
    "button { cursor: pointer; }",
    ":focus { outline: none; }",
    ":focus-visible { outline: 3px solid #1f2328; outline-offset: 2px; box-shadow: 0 0 0 2px #ffffff; }",
    ".launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; width: 56px; height: 56px;",
    "  border: 0; border-radius: 50%; padding: 0; display: flex; align-items: center; justify-content: center;",
    "  background: var(--tb-accent); color: var(--tb-on-accent); box-shadow: 0 4px 14px rgba(0,0,0,.28); }",
    ".launcher svg { width: 28px; height: 28px; fill: currentColor; }",
    ".left .launcher { right: auto; left: 20px; }",
    ".panel { position: fixed; bottom: 88px; right: 20px; z-index: 2147483001; display: flex;",
    "  flex-direction: column; width: 370px; max-width: calc(100vw - 32px); height: 560px;",
    "  max-height: calc(100vh - 108px); background: #ffffff; border-radius: 14px; overflow: hidden;",
    "  box-shadow: 0 12px 40px rgba(0,0,0,.3); border: 1px solid #d0d7de; }",
    ".left .panel { right: auto; left: 20px; }",
    ".header { display: flex; align-items: center; gap: 8px; padding: 10px 10px 10px 16px;",
    "  background: var(--tb-accent); color: var(--tb-on-accent); }",
    ".title { flex: 1; min-width: 0; margin: 0; font-size: 16px; font-weight: 600; line-height: 1.3;",
    "  overflow: hidden; overflow-wrap: anywhere; display: -webkit-box; -webkit-line-clamp: 2;",
    "  -webkit-box-orient: vertical; }",
    ".header button { background: transparent; color: inherit; border: 1px solid currentColor;",
    "  border-radius: 8px; min-height: 36px; padding: 4px 10px; font-size: 14px; white-space: nowrap; }",
    ".header .close { width: 36px; padding: 0; display: flex; align-items: center; justify-content: center; }",
    ".close svg { width: 18px; height: 18px; fill: currentColor; }",
    ".scroller { flex: 1; overflow-y: auto; overflow-x: hidden; padding: 14px 12px 6px; background: #ffffff; }",
    ".scroller:focus-visible { outline-offset: -3px; box-shadow: none; }",
    ".log { display: flex; flex-direction: column; gap: 8px; }",
    ".msg { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap;",
    "  overflow-wrap: anywhere; }",
    ".msg.bot { align-self: flex-start; background: #eef1f4; color: #1f2328; border-bottom-left-radius: 4px; }",
    ".msg.user { align-self: flex-end; background: var(--tb-accent); color: var(--tb-on-accent);",
    "  border-bottom-right-radius: 4px; }",
    ".msg.failed { outline: 2px dashed #b3261e; outline-offset: 2px; }",
    ".msg .flag { display: block; font-size: 12px; font-weight: 600; }",
    ".note { align-self: center; max-width: 95%; margin: 2px 0; font-size: 13px; color: #4d5761;",
    "  text-align: center; }",
    ".card { align-self: stretch; margin: 2px 0; padding: 12px 14px; border: 1px solid #8c959f;",
    "  border-left: 6px solid #1a7f37; border-radius: 10px; background: #f6f8fa; color: #1f2328; }",
    ".card.cancelled { border-left-color: #6e7781; }",
    ".card-title { margin: 0 0 8px; font-weight: 700; color: #116329; }",
    ".card.cancelled .card-title { color: #4d5761; }",
    ".card dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; }",
    ".card dt { color: #4d5761; font-size: 13px; padding-top: 1px; }",
    ".card dd { margin: 0; overflow-wrap: anywhere; }",
    ".card .ref { font: 700 17px/1.3 ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;",
    "  letter-spacing: .06em; }",
    ".typing { display: flex; gap: 5px; align-items: center; width: 60px; margin-top: 8px; padding: 12px 14px;",
    "  border-radius: 14px; border-bottom-left-radius: 4px; background: #eef1f4; }",
    ".dot { width: 8px; height: 8px; border-radius: 50%; background: #4d5761;",
    "  animation: tb-bounce 1.2s infinite ease-in-out; }",
    ".dot:nth-child(2) { animation-delay: .15s; } .dot:nth-child(3) { animation-delay: .3s; }",
    "@keyframes tb-bounce { 0%, 60%, 100% { transform: translateY(0); opacity: .5; }",
    "  30% { transform: translateY(-4px); opacity: 1; } }",
    "@media (prefers-reduced-motion: reduce) { .dot { animation: none; } }",
    ".error { display: flex; align-items: center; gap: 10px; margin: 0 12px 8px; padding: 8px 10px;",
    "  border-radius: 8px; background: #fff1f0; border: 1px solid #b3261e; color: #8c1d18; }",
    ".error p { flex: 1; margin: 0; font-size: 14px; }",
    ".error button { flex: none; background: #ffffff; color: #8c1d18; border: 1px solid #8c1d18;",
    "  border-radius: 8px; min-height: 36px; padding: 4px 12px; font-weight: 600; }",
    ".quick { display: flex; flex-wrap: wrap; gap: 8px; padding: 2px 12px 8px; }",
    ".quick button { background: #ffffff; color: #1f2328; border: 1px solid #57606a; border-radius: 18px;",
    "  min-height: 36px; padding: 4px 14px; }",
    ".quick button:hover, .error button:hover { background: #eef1f4; }",
    ".composer { display: flex; gap: 8px; padding: 10px 12px 12px; border-top: 1px solid #d0d7de;",
    "  background: #ffffff; }",
    ".composer input { flex: 1; min-width: 0; min-height: 44px; padding: 8px 12px; border: 1px solid #6e7781;",
    "  border-radius: 22px; background: #ffffff; color: #1f2328; font-size: 16px; }",
    ".composer input::placeholder { color: #5c6670; opacity: 1; }",
    ".composer .send { flex: none; min-height: 44px; padding: 0 16px; border: 0; border-radius: 22px;",
    "  background: var(--tb-accent); color: var(--tb-on-accent); font-weight: 600; }",
    "@media (max-width: 480px) {",
    "  .panel, .left .panel { inset: 0; width: auto; height: auto; max-width: none; max-height: none;",
    "    border-radius: 0; border: 0; }",
    "  .root.open .launcher { display: none; }",
    "}",
  ].join("\n");

  // --- DOM helpers: elements with text, never markup ---------------------------------------
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function icon(path) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    shape.setAttribute("fill-rule", "evenodd");
    svg.appendChild(shape);
    return svg;
  }

  // a speech bubble with three dots (holes, by the even-odd rule), and a cross
  var CHAT_ICON = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" +
    "M7 9a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 " +
    "1.5 1.5 0 0 0 0-3z";
  var CLOSE_ICON = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

  // --- storage: the conversation id and token survive reloads and other pages -------------
  function readStored() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      return saved && typeof saved.id === "string" && typeof saved.token === "string" ? saved : null;
    } catch (error) {
      return null; // storage blocked or garbled: start afresh
    }
  }

  function writeStored(value) {
    try {
      if (value) {
        window.localStorage.setItem(STORE_KEY, JSON.stringify(value));
      } else {
        window.localStorage.removeItem(STORE_KEY);
      }
    } catch (error) {
      /* storage blocked: the chat still works, it just won't survive a reload */
    }
  }

  function rememberOpen(isOpen) {
    try {
      window.sessionStorage.setItem(OPEN_KEY, isOpen ? "1" : "0");
    } catch (error) {
      /* no session storage: fine */
    }
  }

  function wasOpen() {
    try {
      return window.sessionStorage.getItem(OPEN_KEY);
    } catch (error) {
      return null;
    }
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- the API ----------------------------------------------------------------------------
  function Failure(kind, status, retryAfter) {
    this.kind = kind; // network | rateLimited | unavailable | gone | invalid | failed
    this.status = status;
    this.retryAfter = retryAfter;
  }

  function request(method, path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    if (options.token) {
      headers.Authorization = "Bearer " + options.token;
    }
    if (options.key) {
      headers["Idempotency-Key"] = options.key;
    }
    if (options.body) {
      headers["Content-Type"] = "application/json";
    }
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(ENDPOINT + API + path, {
      method: method,
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      credentials: "omit",
      cache: "no-store",
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        clearTimeout(timer);
        if (response.ok) {
          return response.json();
        }
        var seconds = parseInt(response.headers.get("Retry-After") || "", 10);
        var retryAfter = isFinite(seconds) && seconds > 0 ? seconds : null;
        var status = response.status;
        var kind = status === 429 ? "rateLimited"
          : status === 503 ? "unavailable"
          : status === 401 || status === 404 ? "gone"
          : status === 400 || status === 413 || status === 422 ? "invalid"
          : "failed";
        throw new Failure(kind, status, retryAfter);
      },
      function () {
        clearTimeout(timer);
        throw new Failure("network", 0, null);
      }
    );
  }

  // --- formatting a booking ----------------------------------------------------------------
  function formatDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) {
      return iso || "";
    }
    var date = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    try {
      return new Intl.DateTimeFormat(LANG, {
        weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
      }).format(date);
    } catch (error) {
      return iso;
    }
  }

  function formatTime(hhmm) {
    var parts = /^(\d{2}):(\d{2})/.exec(hhmm || "");
    if (!parts) {
      return hhmm || "";
    }
    try {
      return new Intl.DateTimeFormat(LANG, { hour: "numeric", minute: "2-digit", timeZone: "UTC" })
        .format(new Date(Date.UTC(2000, 0, 1, +parts[1], +parts[2])));
    } catch (error) {
      return hhmm;
    }
  }

  function formatMoment(moment) {
    if (!moment) {
      return "";
    }
    var words = [];
    if (moment.date) {
      words.push(formatDate(moment.date));
    }
    if (moment.time) {
      words.push((T[moment.qualifier || "at"] || T.at) + " " + formatTime(moment.time));
    } else if (moment.period && T.periods[moment.period]) {
      words.push(T.periods[moment.period]);
    }
    return words.join(words.length > 1 ? ", " : "");
  }

  /** "{n} adults" in the UI language's plural form for the count (French: 0 and 1 are singular). */
  function plural(forms, count) {
    var category;
    try {
      category = new Intl.PluralRules(LANG).select(count);
    } catch (error) {
      category = count === 1 ? "one" : "other";
    }
    return (forms[category] || forms.other).replace("{n}", String(count));
  }

  function formatTravellers(travellers) {
    var adults = travellers.adults || 0;
    var children = travellers.children || 0;
    var parts = [];
    if (adults > 0 || children === 0) {
      parts.push(plural(T.adults, adults));
    }
    if (children > 0) {
      parts.push(plural(T.children, children));
    }
    return parts.join(", ");
  }

  function formatCity(city) {
    return city ? city.city + (city.airports && city.airports.length ? " (" + city.airports.join(", ") + ")" : "")
      : "";
  }

  // --- the widget ------------------------------------------------------------------------------
  function Widget() {
    this.conversation = null; // {id, token}
    this.status = null;
    this.busy = false;
    this.loaded = false; // the conversation is shown (started or restored) on this page
    this.epoch = 0; // bumped by "new conversation": answers to older requests are dropped
    this.loading = false; // a start or restore is on its way
    this.retry = null; // what the "try again" button does
    this.shownBookings = {};
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this;
    this.host = document.createElement("ticketbot-widget");
    var shadow = this.host.attachShadow({ mode: "open" });
    this.shadow = shadow;
    if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet(); // not subject to the page's style-src: works under a strict CSP
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(el("style", {}, CSS));
    }

    var position = String(data.position || "right").toLowerCase().indexOf("left") >= 0 ? "left" : "right";
    this.root = el("div", { class: "root " + position, lang: LANG });

    this.launcher = el("button", {
      class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "tb-panel", "aria-label": T.open,
    });
    this.launcher.appendChild(icon(CHAT_ICON));
    this.launcherIcon = this.launcher.querySelector("path");

    this.panel = el("section", { class: "panel", id: "tb-panel", role: "dialog", "aria-labelledby": "tb-title" });
    this.panel.hidden = true;
    var header = el("div", { class: "header" });
    header.appendChild(el("h2", { class: "title", id: "tb-title" }, data.title || T.title));
    this.newButton = el("button", { class: "new", type: "button" }, T.newConversation);
    this.closeButton = el("button", { class: "close", type: "button", "aria-label": T.close });
    this.closeButton.appendChild(icon(CLOSE_ICON));
    header.appendChild(this.newButton);
    header.appendChild(this.closeButton);

    // the scrolling history: a labelled region the keyboard can reach and scroll with the arrow keys
    this.scroller = el("div", { class: "scroller", role: "region", "aria-label": T.conversation, tabindex: "0" });
    this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
    this.typing = el("div", { class: "typing", "aria-hidden": "true" });
    for (var i = 0; i < 3; i++) {
      this.typing.appendChild(el("span", { class: "dot" }));
    }
    this.typing.hidden = true;
    this.scroller.appendChild(this.log);
    this.scroller.appendChild(this.typing);
    this.announcer = el("div", { class: "sr-only", role: "status" });

    this.error = el("div", { class: "error", role: "alert" });
    this.errorText = el("p");
    this.retryButton = el("button", { class: "retry", type: "button" }, T.retry);
    this.error.appendChild(this.errorText);
    this.error.appendChild(this.retryButton);
    this.error.hidden = true;

    this.quick = el("div", { class: "quick", role: "group", "aria-label": T.quickReplies });
    QUICK_REPLIES.forEach(function (pair) {
      var button = el("button", { type: "button", "data-send": pair[1] }, T[pair[0]]);
      button.addEventListener("click", function (event) {
        self.focusInside(event); // the buttons go away once answered: keep the focus in the panel
        self.send(pair[1]);
      });
      self.quick.appendChild(button);
    });
    this.quick.hidden = true;

    this.form = el("form", { class: "composer", novalidate: "" });
    this.input = el("input", {
      id: "tb-input", type: "text", maxlength: "1000", autocomplete: "off", enterkeyhint: "send",
      placeholder: T.placeholder,
    });
    this.form.appendChild(el("label", { class: "sr-only", for: "tb-input" }, T.message));
    this.form.appendChild(this.input);
    this.form.appendChild(el("button", { class: "send", type: "submit" }, T.send));

    [header, this.scroller, this.announcer, this.error, this.quick, this.form].forEach(function (part) {
      self.panel.appendChild(part);
    });
    this.root.appendChild(this.launcher);
    this.root.appendChild(this.panel);
    shadow.appendChild(this.root);
    document.body.appendChild(this.host);
    this.applyAccent(data.accent);

    this.launcher.addEventListener("click", function (event) { self.toggle(event); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.newButton.addEventListener("click", function () { self.newConversation(); });
    this.retryButton.addEventListener("click", function (event) {
      var again = self.retry;
      if (again) {
        self.focusInside(event);
        self.clearError();
        again();
      }
    });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.isComposing) {
        event.stopPropagation();
        self.close();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (text && !self.busy && self.loaded) {
        self.input.value = "";
        self.send(text);
      }
    });
  };

  /** The accent colour from data-accent, with white or black text: whichever reads (WCAG AA, 4.5:1). */
  Widget.prototype.applyAccent = function (wanted) {
    var probe = el("span", { hidden: "" });
    this.root.appendChild(probe);
    var accent = null;
    if (wanted) {
      probe.style.color = wanted; // CSSOM, not markup: an invalid value is simply ignored
      accent = probe.style.color ? parseRgb(getComputedStyle(probe).color) : null;
    }
    if (!accent) {
      probe.style.color = DEFAULT_ACCENT;
      accent = parseRgb(getComputedStyle(probe).color) || [29, 78, 216];
    }
    this.root.removeChild(probe);
    var onAccent = contrast(accent, [255, 255, 255]) >= 4.5 ? "#ffffff" : "#000000";
    this.root.style.setProperty("--tb-accent", "rgb(" + accent.join(", ") + ")");
    this.root.style.setProperty("--tb-on-accent", onAccent);
  };

  // --- opening and closing ------------------------------------------------------------------
  /** Move the focus into the panel: to the text box, but not after a tap (that would pop up a keyboard). */
  Widget.prototype.focusInside = function (event) {
    var touch = event && (event.pointerType === "touch" || event.pointerType === "pen");
    (touch ? this.scroller : this.input).focus();
  };

  Widget.prototype.open = function (quietly, event) {
    this.panel.hidden = false;
    this.root.classList.add("open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", T.close);
    this.launcherIcon.setAttribute("d", CLOSE_ICON);
    rememberOpen(true);
    if (!quietly) {
      this.focusInside(event); // opened by the customer (not on load): straight to the text box
    }
    this.load();
    this.scrollDown();
  };

  Widget.prototype.close = function () {
    var hadFocus = this.shadow.activeElement && this.panel.contains(this.shadow.activeElement);
    this.panel.hidden = true;
    this.root.classList.remove("open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", T.open);
    this.launcherIcon.setAttribute("d", CHAT_ICON);
    rememberOpen(false);
    if (hadFocus || this.shadow.activeElement === null) {
      this.launcher.focus();
    }
  };

  Widget.prototype.toggle = function (event) {
    if (this.panel.hidden) {
      this.open(false, event);
    } else {
      this.close();
    }
  };

  // --- the conversation ---------------------------------------------------------------------------
  /** Show the conversation once per page: the stored one (its transcript from the server) or a new one. */
  Widget.prototype.load = function () {
    if (this.loaded || this.loading) {
      return;
    }
    var stored = readStored();
    if (stored) {
      this.restore(stored);
    } else {
      this.start(null);
    }
  };

  Widget.prototype.start = function (notice) {
    var self = this;
    var epoch = this.epoch;
    this.loading = true;
    this.setBusy(true);
    request("POST", "/conversations").then(
      function (started) {
        if (epoch !== self.epoch) {
          return;
        }
        self.conversation = { id: started.conversation_id, token: started.token };
        writeStored(self.conversation);
        self.resetLog();
        if (notice) {
          self.addNote(notice);
        }
        self.addMessage("bot", started.reply);
        self.finishLoading(started.status);
      },
      function (failure) {
        if (epoch === self.epoch) {
          self.loading = false;
          self.setBusy(false);
          self.showError(failure, function () { self.start(notice); });
        }
      }
    );
  };

  Widget.prototype.restore = function (stored) {
    var self = this;
    var epoch = this.epoch;
    this.loading = true;
    this.setBusy(true);
    request("GET", "/conversations/" + encodeURIComponent(stored.id), { token: stored.token }).then(
      function (view) {
        if (epoch !== self.epoch) {
          return;
        }
        self.conversation = stored;
        self.resetLog();
        self.log.setAttribute("aria-busy", "true"); // the old transcript is not news: don't read it all out
        view.turns.forEach(function (turn) {
          if (turn.user !== null && turn.user !== undefined) {
            self.addMessage("user", turn.user);
          }
          self.addMessage("bot", turn.reply);
          if (turn.status === "booked") {
            (view.bookings || []).forEach(function (booking) {
              if (!self.shownBookings[booking.reference] && turn.reply.indexOf(booking.reference) >= 0) {
                self.addBooking(booking);
              }
            });
          }
        });
        self.log.removeAttribute("aria-busy");
        self.finishLoading(view.status);
      },
      function (failure) {
        if (epoch !== self.epoch) {
          return;
        }
        self.loading = false;
        self.setBusy(false);
        if (failure.kind === "gone") { // e.g. the database was reset: carry on with a new conversation
          writeStored(null);
          self.start(T.expired);
        } else {
          self.showError(failure, function () { self.restore(stored); });
        }
      }
    );
  };

  Widget.prototype.finishLoading = function (status) {
    this.loading = false;
    this.loaded = true;
    this.setBusy(false);
    this.setStatus(status);
  };

  Widget.prototype.newConversation = function () {
    this.epoch += 1;
    this.loaded = false;
    this.loading = false;
    this.conversation = null;
    writeStored(null);
    this.clearError();
    this.resetLog();
    this.setStatus(null);
    this.setBusy(false);
    if (this.panel.hidden) {
      this.open();
    } else {
      this.input.focus();
      this.load();
    }
  };

  /** Send a message; a retry sends the same Idempotency-Key, so the server answers it at most once. */
  Widget.prototype.send = function (text, key, bubble) {
    var self = this;
    if (this.busy || !this.conversation) {
      return;
    }
    var epoch = this.epoch;
    var conversation = this.conversation;
    key = key || newKey();
    if (!bubble) {
      bubble = this.addMessage("user", text);
    }
    this.clearError();
    this.setBusy(true);
    request("POST", "/conversations/" + encodeURIComponent(conversation.id) + "/messages", {
      token: conversation.token, key: key, body: { text: text },
    }).then(
      function (turn) {
        if (epoch !== self.epoch) {
          return;
        }
        self.markSent(bubble);
        self.setBusy(false);
        self.addMessage("bot", turn.reply);
        if (turn.booking) {
          self.addBooking(turn.booking);
        }
        self.setStatus(turn.status);
      },
      function (failure) {
        if (epoch !== self.epoch) {
          return;
        }
        self.setBusy(false);
        if (failure.kind === "gone") {
          bubble.remove();
          self.epoch += 1;
          self.loaded = false;
          self.conversation = null;
          writeStored(null);
          self.input.value = text; // nothing is lost: send it again in the new conversation
          self.start(T.expired);
          return;
        }
        self.markFailed(bubble);
        if (failure.kind === "invalid") {
          self.input.value = text;
          self.showError(failure, null);
        } else {
          self.showError(failure, function () { self.send(text, key, bubble); });
        }
      }
    );
  };

  // --- rendering ----------------------------------------------------------------------------------
  Widget.prototype.resetLog = function () {
    this.log.textContent = "";
    this.shownBookings = {};
  };

  Widget.prototype.addMessage = function (who, text) {
    var bubble = el("div", { class: "msg " + who });
    if (who === "bot") {
      bubble.setAttribute("lang", "en"); // the bot's replies are English, whatever the UI's language
    }
    bubble.appendChild(el("span", { class: "sr-only" }, who === "bot" ? T.bot : T.you));
    bubble.appendChild(el("span", { class: "text" }, text));
    this.log.appendChild(bubble);
    this.scrollDown();
    return bubble;
  };

  Widget.prototype.addNote = function (text) {
    this.log.appendChild(el("p", { class: "note" }, text));
  };

  Widget.prototype.markFailed = function (bubble) {
    bubble.classList.add("failed");
    if (!bubble.querySelector(".flag")) {
      bubble.appendChild(el("span", { class: "flag" }, T.notSent));
    }
  };

  Widget.prototype.markSent = function (bubble) {
    bubble.classList.remove("failed");
    var flag = bubble.querySelector(".flag");
    if (flag) {
      flag.remove();
    }
  };

  Widget.prototype.addBooking = function (booking) {
    this.shownBookings[booking.reference] = true;
    var cancelled = booking.status === "cancelled";
    var title = cancelled ? T.bookingCancelled : T.booked;
    var card = el("div", { class: "card" + (cancelled ? " cancelled" : ""), role: "group", "aria-label": title });
    card.appendChild(el("p", { class: "card-title" }, (cancelled ? "" : "✓ ") + title));
    var list = el("dl");
    var rows = [[T.reference, booking.reference, "ref"]];
    if (booking.traveller) { // the customer's own words: text, like everything else
      rows.push([T.passenger, booking.traveller, "passenger"]);
    }
    rows.push([T.destination, formatCity(booking.destination), "destination"]);
    if (booking.arrival) { // null when the customer said only when they leave
      rows.push([T.arrival, formatMoment(booking.arrival), "arrival"]);
    }
    if (booking.origin) {
      rows.push([T.origin, formatCity(booking.origin), "origin"]);
    }
    if (booking.departure) {
      rows.push([T.departure, formatMoment(booking.departure), "departure"]);
    }
    // the trip's preferences: each row only where the server sent the field (an older API sends none)
    if (booking.trip) {
      rows.push([T.trip, booking.trip === "round_trip" ? T.roundTrip : T.oneWay, "trip"]);
    }
    if (booking.returning) {
      rows.push([T.returning, formatMoment(booking.returning), "return"]);
    }
    if (booking.travellers) {
      rows.push([T.travellers, formatTravellers(booking.travellers), "travellers"]);
    }
    if (booking.cabin) {
      var known = Object.prototype.hasOwnProperty.call(T.cabins, booking.cabin);
      rows.push([T.cabin, known ? T.cabins[booking.cabin] : booking.cabin, "cabin"]);
    }
    if (booking.airline && booking.airline.name) {
      rows.push([T.airline, booking.airline.name, "airline"]);
    }
    if (booking.nonstop === true) {
      rows.push([T.stops, T.nonstop, "stops"]);
    }
    rows.forEach(function (row) {
      list.appendChild(el("dt", {}, row[0]));
      list.appendChild(el("dd", { class: row[2] }, row[1]));
    });
    card.appendChild(list);
    this.log.appendChild(card);
    this.scrollDown();
  };

  Widget.prototype.setStatus = function (status) {
    this.status = status;
    this.updateQuickReplies();
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.typing.hidden = !busy;
    this.announcer.textContent = busy ? T.typing : "";
    this.updateQuickReplies();
    this.scrollDown();
  };

  Widget.prototype.updateQuickReplies = function () {
    var show = this.status === "confirming" && !this.busy && this.error.hidden;
    var focusInside = this.quick.contains(this.shadow.activeElement);
    this.quick.hidden = !show;
    if (!show && focusInside) {
      this.input.focus();
    }
  };

  Widget.prototype.showError = function (failure, retry) {
    var seconds = failure.retryAfter ? String(failure.retryAfter) : "1";
    var text = T[failure.kind] || T.failed;
    this.errorText.textContent = text.replace("{seconds}", seconds);
    this.retry = retry;
    this.retryButton.hidden = !retry;
    this.error.hidden = false;
    this.updateQuickReplies();
  };

  Widget.prototype.clearError = function () {
    this.error.hidden = true;
    this.errorText.textContent = "";
    this.retry = null;
    this.updateQuickReplies();
  };

  Widget.prototype.scrollDown = function () {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  };

  // --- start ---------------------------------------------------------------------------------------
  var widget = null;
  window.Ticketbot = Object.freeze({
    open: function () { if (widget) { widget.open(); } },
    close: function () { if (widget) { widget.close(); } },
    newConversation: function () { if (widget) { widget.newConversation(); } },
  });

  function init() {
    widget = new Widget();
    // the panel reopens where this tab left it open; data-open="true" opens it on a first visit
    var remembered = wasOpen();
    var openOnLoad = data.open !== undefined && /^(true|1|yes|open|)$/i.test(data.open);
    if (remembered === "1" || (remembered === null && openOnLoad)) {
      widget.open(true);
    }
  }

  if (document.body) {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
