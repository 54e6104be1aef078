package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/export"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// missingRE finds a message a catalog lacks: the printer prints its key
// in brackets.
var missingRE = regexp.MustCompile(`\[(web|field|kind|verdict|group|format|month|lang|report|estimate)\.[^\]\s]*\]`)

// setLang picks a language in the header's form, as a user does.
func (c *client) setLang(lang, next string) resp {
	c.t.Helper()
	page := c.get("/queue")
	return c.post("/lang", url.Values{"csrf": {csrf(c.t, page.Body)}, "lang": {lang}, "next": {next}})
}

// The language is the user's choice, kept in the database; without one,
// the browser's Accept-Language; else English. The login page (no user
// yet) follows the browser.
func TestLanguageChoice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t)
	for lang, want := range map[string]string{"ru-RU,ru;q=0.9,en;q=0.5": "Вход", "az": "Daxil ol", "de": "Log in", "": "Log in"} {
		r := c.do("GET", "/login", nil, "Accept-Language", lang)
		if r.Code != 200 || !strings.Contains(r.Body, "<h1>"+want+"</h1>") {
			t.Errorf("login page for Accept-Language %q: %d, want the heading %q", lang, r.Code, want)
		}
	}
	if r := c.do("GET", "/login", nil, "Accept-Language", "az"); !strings.Contains(r.Body, `<html lang="az">`) {
		t.Error("the page's lang attribute is not the page's language")
	}
	// A wrong password, answered in the browser's language.
	r := c.post("/login", url.Values{"name": {"alice"}, "password": {"wrong"}}, "Accept-Language", "ru")
	if r.Code != http.StatusUnauthorized || !strings.Contains(r.Body, "Неизвестное имя пользователя или неверный пароль.") {
		t.Errorf("a wrong password in Russian: %d", r.Code)
	}

	// Alice has no choice yet: the queue follows her browser.
	c.login("alice")
	if r := c.do("GET", "/queue", nil, "Accept-Language", "ru"); !strings.Contains(r.Body, "<h1>Очередь проверки</h1>") {
		t.Error("the queue does not follow Accept-Language")
	}
	if r := c.get("/queue"); !strings.Contains(r.Body, "<h1>Review queue</h1>") || !strings.Contains(r.Body, `aria-pressed="true" title="English"`) {
		t.Error("without a choice or Accept-Language the queue is not in English, or English is not marked as the language")
	}
	// She picks Azerbaijani in the header: back to the page she was on.
	item := fmt.Sprintf("/items/%d", f.id("match:"))
	r = c.setLang("az", item)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != item {
		t.Fatalf("set the language: %d %q", r.Code, r.Header.Get("Location"))
	}
	page := c.do("GET", item, nil, "Accept-Language", "ru")
	for _, want := range []string{`<html lang="az">`, "Şübhəli uyğunluq", "Niyə buradadır:", ">Eyni şəxs <kbd>s</kbd></button>", "Uyğunluq ehtimalı",
		`aria-pressed="true" title="Azərbaycanca"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the item page after choosing Azerbaijani lacks %q", want)
		}
	}
	// The choice is in the database: another browser, another session.
	sessions, _ := f.s.Sessions(ctx, "alice")
	if len(sessions) == 0 {
		t.Fatal("no session")
	}
	c2 := f.client(t)
	if r := c2.post("/login", url.Values{"name": {"alice"}, "password": {"alice-password"}}, "Accept-Language", "ru"); r.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Code)
	}
	if r := c2.do("GET", "/queue", nil, "Accept-Language", "ru"); !strings.Contains(r.Body, "<h1>Yoxlama növbəsi</h1>") {
		t.Error("alice's choice does not hold in a new session")
	}
	// Bob's pages are his own: no choice, his browser's.
	bob := f.client(t)
	bob.login("bob")
	if r := bob.do("GET", "/queue", nil, "Accept-Language", "en"); !strings.Contains(r.Body, "<h1>Review queue</h1>") {
		t.Error("alice's choice changed bob's language")
	}
	// The form is a write like any other: CSRF-protected, checked.
	if r := c.post("/lang", url.Values{"lang": {"ru"}}); r.Code != http.StatusForbidden {
		t.Errorf("set the language without the CSRF token: %d, want 403", r.Code)
	}
	for _, bad := range []string{"de", "RU", ""} {
		if r := c.setLang(bad, "/queue"); r.Code != http.StatusBadRequest {
			t.Errorf("language %q: %d, want 400", bad, r.Code)
		}
	}
	if r := c.setLang("ru", "//evil.example/"); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/queue" {
		t.Errorf("an off-site next: %d %q, want /queue", r.Code, r.Header.Get("Location"))
	}
	// A refused request says why in the user's language.
	if r := c.get("/queue?state=bogus"); r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `состояние &#34;bogus&#34;: нужно open, decided, stale или all`) {
		t.Errorf("a bad filter in Russian: %d", r.Code)
	}
	// A viewer may choose too.
	vera := f.client(t)
	vera.login("vera")
	if r := vera.setLang("ru", "/queue"); r.Code != http.StatusSeeOther {
		t.Errorf("a viewer sets her language: %d", r.Code)
	}
	if r := vera.post(item+"/decide", url.Values{"csrf": {csrf(t, vera.get("/queue").Body)}, "version": {"0"}, "verdict": {"same"},
		"reason": {"x"}}); r.Code != http.StatusForbidden || !strings.Contains(r.Body, "Решения по пунктам принимают только аналитики и администраторы") {
		t.Errorf("a viewer's refused decision in Russian: %d", r.Code)
	}
}

// Every page renders in each language with no message missing, and its
// headings and buttons in that language.
func TestEveryPageInEveryLanguage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t)
	c.login("alice")
	// An adjudication, a decided item, a scope and an undone decision, so
	// that their words show.
	if err := f.s.SetDoubleReview(ctx, "alice", []string{roster.KindMatch}); err != nil {
		t.Fatal(err)
	}
	m := f.id("match:")
	if _, err := f.s.DecideItem(ctx, m, -1, roster.VerdictSame, "same father", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DecideItem(ctx, m, -1, roster.VerdictDifferent, "born apart", "carol"); err != nil {
		t.Fatal(err)
	}
	adj, err := f.s.ReviewItemByKey(ctx, fmt.Sprintf("adjudication:%d:0", m))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetScope(ctx, "alice", store.Scope{Source: "cdr", Groups: []string{"journalist"}, From: "2020-01-01", Note: "journalists"}); err != nil {
		t.Fatal(err)
	}
	pid, _ := f.s.PersonOf(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "1"})
	pages := []string{"/queue", "/queue?state=all", fmt.Sprintf("/items/%d", adj.ID), fmt.Sprintf("/items/%d", f.id("omission:")),
		fmt.Sprintf("/items/%d", f.id("group-gap:")), fmt.Sprintf("/items/%d", f.id("unknown-group:")),
		fmt.Sprintf("/items/%d?decided=%d", f.id("duplicate:"), f.id("duplicate:")), "/persons", "/persons/" + pid,
		"/record?ref=ipm@2025-06-01:1", "/sources", "/search?q=" + url.QueryEscape("Гасанов"), "/search?q=nobody", "/audit", "/stats", "/admin",
		"/nope"}
	headings := map[string][]string{
		"az": {"Yoxlama növbəsi", "Hakim qərarı", "Qrupa aid et", "Şəxslər", "Mənbələr", "Audit jurnalı", "Analitiklər arasında razılaşma", "Hesablar və tənzimləmələr", "Tapılmadı"},
		"ru": {"Очередь проверки", "Арбитраж", "Отнести к группе", "Лица", "Источники", "Журнал аудита", "Согласие аналитиков", "Учётные записи и настройки", "Не найдено"},
		"en": {"Review queue", "Adjudication", "Map to a group", "Persons", "Sources", "Audit log", "Agreement between analysts", "Accounts and settings", "Not found"},
	}
	for _, lang := range []string{"az", "ru", "en"} {
		if r := c.setLang(lang, "/queue"); r.Code != http.StatusSeeOther {
			t.Fatalf("set %s: %d", lang, r.Code)
		}
		var all strings.Builder
		for _, p := range pages {
			r := c.get(p)
			want := 200
			if p == "/nope" {
				want = 404
			}
			if r.Code != want {
				t.Errorf("%s %s: %d, want %d", lang, p, r.Code, want)
			}
			if !strings.Contains(r.Body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: not in %s", lang, p, lang)
			}
			if k := missingRE.FindString(r.Body); k != "" {
				t.Errorf("%s %s: a message is missing: %s", lang, p, k)
			}
			all.WriteString(r.Body)
		}
		for _, h := range headings[lang] {
			if !strings.Contains(all.String(), h) {
				t.Errorf("%s: no page shows %q", lang, h)
			}
		}
	}
}

// Names are shown in the script of the interface language where Roster
// knows the form (the canonical name the rebuild of the queue keeps),
// with the records' own spelling beside them.
func TestNamesInTheInterfaceScript(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pid, _ := f.s.PersonOf(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "1"})
	p, _, err := f.s.Person(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	var recs []roster.Record
	for _, m := range p.Members {
		r, err := f.s.FindRecord(ctx, roster.RecordRef{Source: m.Source, Edition: m.Edition, Ref: m.Ref})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	canonical := export.CanonicalName(recs, app.RegistryNamer)
	if canonical != "Həsənov Əli Vaqif oğlu" {
		t.Fatalf("canonical name %q", canonical)
	}
	if err := f.s.SavePersonNames(ctx, map[string]store.PersonName{pid: {Spellings: 1, Name: canonical}}); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	c.login("alice")
	for lang, want := range map[string]string{
		"az": "Həsənov Əli Vaqif oğlu",  // the canonical name
		"en": "Hasanov Ali Vagif oghlu", // in the official English transcription
		"ru": "Гасанов Али Вагиф оглы",  // as the Russian list writes it
	} {
		c.setLang(lang, "/queue")
		person := c.get("/persons/" + pid)
		if !strings.Contains(person.Body, `<p class="pname" id="pname"><strong>`+want+`</strong> · <span class="as-written">`) ||
			!strings.Contains(person.Body, "Гасанов Али Вагиф оглы; Həsənov Əli Vaqif oğlu</span>") {
			t.Errorf("%s person page: want %q with the lists' spellings beside it", lang, want)
		}
		list := c.get("/persons")
		if !strings.Contains(list.Body, `<td class="pname">`+want+`</td>`) {
			t.Errorf("%s list of persons lacks %q", lang, want)
		}
		search := c.get("/search?q=" + url.QueryEscape("Hasanov Ali"))
		if !strings.Contains(search.Body, `<strong class="pname">`+want+`</strong>`) {
			t.Errorf("%s search lacks %q", lang, want)
		}
	}
	// A person without a canonical name (no rebuild yet) shows the
	// records' spelling only.
	other, _ := f.s.PersonOf(ctx, roster.RecordRef{Source: "ipm", Edition: "2025-06-01", Ref: "3"})
	c.setLang("ru", "/queue")
	if r := c.get("/persons/" + other); !strings.Contains(r.Body, `<span class="as-written">как пишут списки: Məmmədov Rəşad Tofiq oğlu</span>`) {
		t.Error("a person without a canonical name")
	}
}
