package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// The UI speaks Azerbaijani, Russian and English from the catalogs of
// internal/i18n, the same the report uses: the templates print every
// word through t (a message), n (a plural) and th (a message with markup
// in its arguments), the handlers through the request's printer. A
// request is in the language its user chose (Session.Lang, kept in the
// database), else in the browser's (Accept-Language), else English.

// printerFor returns the request's printer.
func (s *Server) printerFor(r *http.Request) *i18n.Printer {
	l, ok := i18n.Parse(sessionFrom(r.Context()).Lang)
	if !ok {
		l = i18n.Negotiate(r.Header.Get("Accept-Language"))
	}
	return s.printers[l]
}

// newPrinters makes one printer per language; a key a catalog lacks is
// logged (and printed as the key in brackets, which the tests look for).
func (s *Server) newPrinters() map[i18n.Lang]*i18n.Printer {
	out := map[i18n.Lang]*i18n.Printer{}
	for _, l := range i18n.Langs {
		p := i18n.New(l)
		p.Missing = func(key string) { s.cfg.Log.Error("missing message", "lang", l, "key", key) }
		out[l] = p
	}
	return out
}

// english prints the English of the UI's own errors (their Error(), for
// logs and scripts).
var english = i18n.New(i18n.English)

// msgError is an error the UI makes itself: its code gives the HTTP
// status, its message is printed in the reader's language.
type msgError struct {
	code string
	key  string
	args []any
}

// msg returns the UI's own error: code is a roster error code, key a
// message of the catalogs.
func msg(code, key string, args ...any) error { return &msgError{code, key, args} }

func (e *msgError) Error() string { return english.T(e.key, e.args...) }

// Unwrap gives roster.ErrorCode the code.
func (e *msgError) Unwrap() error { return &roster.Error{Code: e.code, Message: e.Error()} }

// message prints err for the reader: the UI's own errors in p's language,
// others (the store's, the domain's) as they are, in English.
func message(p *i18n.Printer, err error) string {
	var me *msgError
	if errors.As(err, &me) {
		return p.T(me.key, me.args...)
	}
	return err.Error()
}

// word prints the message key when the catalog has it, else fallback
// (a value the catalogs do not know, shown as it is).
func word(p *i18n.Printer, key, fallback string) string {
	if p.Has(key) {
		return p.T(key)
	}
	return fallback
}

func kindLabel(p *i18n.Printer, k string) string { return word(p, "kind."+k, k) }

// groupName is a group as a sentence names it ("journalists and
// bloggers"); groupLabel is the same as a label ("Journalists and
// bloggers"). The empty group is a record's label that maps to none.
func groupName(p *i18n.Printer, g string) string {
	if g == "" {
		return p.T("web.group.unmapped")
	}
	return word(p, "group."+g, g)
}

func groupLabel(p *i18n.Printer, g string) string { return capitalize(p.Lang, groupName(p, g)) }

// groupNames lists groups as a sentence does.
func groupNames(p *i18n.Printer, gs []string) string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = groupName(p, g)
	}
	return strings.Join(out, p.T("format.list"))
}

// capitalize writes the first letter upper case (an Azerbaijani i as İ).
func capitalize(l i18n.Lang, s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	up := unicode.ToUpper(r)
	if l == i18n.Azerbaijani {
		up = unicode.AzeriCase.ToUpper(r)
	}
	return string(up) + s[n:]
}

// verdictLabel is a verdict given ("Same person", "Mapped to …");
// buttonLabel the button that gives it ("Dismiss").
func verdictLabel(p *i18n.Printer, v string) string {
	base, grp, isMap := strings.Cut(v, ":")
	if isMap && base == roster.VerdictMap {
		return p.T("verdict.mapped", groupName(p, grp))
	}
	return word(p, "verdict."+v, v)
}

func buttonLabel(p *i18n.Printer, v string) string { return word(p, "web.button."+v, v) }

// verdictHint says what a verdict means for a kind of item.
func verdictHint(p *i18n.Printer, kind, v string) string {
	if k := "web.hint." + kind + "." + v; p.Has(k) {
		return p.T(k)
	}
	return word(p, "web.hint."+v, "")
}

// fieldLabel names a field of a record or of an item's payload for
// people ("Birth year", not birth_year).
func fieldLabel(p *i18n.Printer, f string) string {
	return word(p, "field."+f, strings.ReplaceAll(f, "_", " "))
}

// The labels of the other values the pages show: roles, item states,
// audit actions, how a record is linked, a person's status and ID
// history, a name's script.
func roleLabel(p *i18n.Printer, r string) string   { return word(p, "web.role."+r, r) }
func stateLabel(p *i18n.Printer, s string) string  { return word(p, "web.state."+s, s) }
func actionLabel(p *i18n.Printer, a string) string { return word(p, "web.action."+a, a) }
func linkLabel(p *i18n.Printer, l string) string   { return word(p, "web.link."+l, l) }
func statusLabel(p *i18n.Printer, s string) string { return word(p, "web.status."+s, s) }
func eventLabel(p *i18n.Printer, e string) string  { return word(p, "web.event."+e, e) }
func scriptLabel(p *i18n.Printer, s string) string { return word(p, "web.script."+s, s) }

// statusText is an HTTP status as the error page titles it.
func statusText(p *i18n.Printer, code int) string {
	return word(p, fmt.Sprintf("web.http.%d", code), http.StatusText(code))
}

// th prints a message as HTML: the message's own text escaped, each
// argument either HTML a template function made (link, strong, em, kbd,
// code) or text, escaped. Its messages take %s verbs only (a test checks
// it): the arguments are put in after the message is formatted.
func th(p *i18n.Printer) func(key string, args ...any) template.HTML {
	return func(key string, args ...any) template.HTML {
		marks := make([]any, len(args))
		for i := range args {
			marks[i] = fmt.Sprintf("\x00%d\x00", i)
		}
		out := html.EscapeString(p.T(key, marks...))
		for i, a := range args {
			v, ok := a.(template.HTML)
			if !ok {
				v = template.HTML(html.EscapeString(fmt.Sprint(a)))
			}
			out = strings.Replace(out, marks[i].(string), string(v), 1)
		}
		return template.HTML(out)
	}
}

// markup wraps escaped text in an element, for th's arguments.
func markup(tag string) func(text any) template.HTML {
	return func(text any) template.HTML {
		return template.HTML("<" + tag + ">" + html.EscapeString(fmt.Sprint(text)) + "</" + tag + ">")
	}
}

// link is a link for th's arguments; only a path on this site is linked.
func link(href string, text any) template.HTML {
	if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") || strings.HasPrefix(href, "/\\") {
		href = "#"
	}
	return template.HTML(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(fmt.Sprint(text)) + `</a>`)
}

// langChoice is a language the header's form offers.
type langChoice struct {
	Code, Name string
	Current    bool
}

func langChoices(cur i18n.Lang) []langChoice {
	var out []langChoice
	for _, l := range i18n.Langs {
		out = append(out, langChoice{Code: string(l), Name: i18n.New(l).T("lang." + string(l)), Current: l == cur})
	}
	return out
}

// setLang keeps the language the user picked in the header (POST /lang:
// lang, next) and goes back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if l, ok := i18n.Parse(lang); !ok || string(l) != lang {
		s.fail(w, r, msg(roster.EINVALID, "web.error.lang", lang))
		return
	}
	if err := s.cfg.Users.SetLang(r.Context(), sessionFrom(r.Context()).User, lang); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// here is the page's own address, for the language form to come back
// to ("" for a page a form posted to: the form then goes to the queue).
func here(r *http.Request) string {
	if r.Method != http.MethodGet {
		return ""
	}
	u := url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	return u.RequestURI()
}

// personName is a person's name as a page shows it: in the script of the
// interface language where Roster knows the form, with the list's own
// spelling beside it.
type personName struct {
	Shown   string // the name in the interface's script ("" when Roster knows no canonical name)
	Written string // the spelling of the person's records, when it differs from Shown
}

// nameIn writes a person's name in the script of l: canonical is the
// registry's name in Azerbaijani Latin (as the last rebuild of the queue
// computed it), russian the spelling the person's Russian records give
// ("" for none), written the record's own spelling. Without a canonical
// name there is only the record's spelling.
func nameIn(l i18n.Lang, canonical, russian, written string) personName {
	if canonical == "" {
		return personName{Written: written}
	}
	n := personName{Shown: canonical}
	switch l {
	case i18n.English:
		n.Shown = names.ToEnglish(canonical)
	case i18n.Russian:
		n.Shown = russian
		if n.Shown == "" {
			n.Shown = names.ToRussian(canonical)
		}
	}
	if written != n.Shown {
		n.Written = written
	}
	return n
}
