package web

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

// verbSpy notes the verbs it is printed with.
type verbSpy struct{ verbs *[]rune }

func (v verbSpy) Format(_ fmt.State, c rune) { *v.verbs = append(*v.verbs, c) }

// templateKeys returns the message keys the templates print with t, n
// and th (a string literal as the first argument), and those printed
// with th and with n.
func templateKeys(t *testing.T) (keys, htmlKeys, pluralKeys []string) {
	t.Helper()
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.IfNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.TemplateNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return
			}
			for _, c := range x.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			if id, ok := x.Args[0].(*parse.IdentifierNode); ok && len(x.Args) > 1 {
				if s, ok := x.Args[1].(*parse.StringNode); ok {
					switch id.Ident {
					case "t":
						keys = append(keys, s.Text)
					case "n":
						keys = append(keys, s.Text)
						pluralKeys = append(pluralKeys, s.Text)
					case "th":
						keys = append(keys, s.Text)
						htmlKeys = append(htmlKeys, s.Text)
					}
				}
			}
			for _, a := range x.Args {
				walk(a)
			}
		}
	}
	for _, f := range files {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := template.New(f).Funcs(funcs).Funcs(langFuncs(i18n.New(i18n.English))).Parse(string(b))
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, x := range tpl.Templates() {
			if x.Tree != nil {
				walk(x.Tree.Root)
			}
		}
	}
	return keys, htmlKeys, pluralKeys
}

// sourceKeys returns the message keys the package's Go code names: every
// string literal shaped like a key ("web.error.state", "field.group").
func sourceKeys(t *testing.T) []string {
	t.Helper()
	keyRE := regexp.MustCompile(`^(web|field|kind|verdict|group|format)\.[a-z0-9_.-]*[a-z0-9_]$`)
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && keyRE.MatchString(s) {
					keys = append(keys, s)
				}
			}
			return true
		})
	}
	return keys
}

// TestMessages fails on a message the UI prints that a language lacks:
// the keys in the templates, in the Go code, and those made from the
// domain's values (kinds, groups, verdicts and what each means for each
// kind, roles, states, audit actions, links, statuses, scripts). The
// catalogs' own test (internal/i18n) holds the three languages to the
// same keys and verbs; th's messages take %s only.
func TestMessages(t *testing.T) {
	tkeys, hkeys, pkeys := templateKeys(t)
	if len(tkeys) < 200 {
		t.Fatalf("only %d messages found in the templates", len(tkeys))
	}
	keys := append(tkeys, sourceKeys(t)...)
	for _, k := range roster.Kinds {
		keys = append(keys, "kind."+k)
	}
	for _, g := range roster.Groups {
		keys = append(keys, "group."+g)
	}
	verdicts := []string{roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure, roster.VerdictDismiss, roster.VerdictConfirm,
		roster.VerdictNotOmission, roster.VerdictOutOfScope, roster.VerdictComprehensive}
	for _, v := range verdicts {
		keys = append(keys, "verdict."+v)
	}
	for _, v := range append(verdicts, roster.VerdictMap) {
		keys = append(keys, "web.button."+v)
	}
	for _, r := range []string{roleViewer, roleAnalyst, roleAdmin} {
		keys = append(keys, "web.role."+r)
	}
	for _, r := range []string{roleAnalyst, roleAdmin} {
		keys = append(keys, "web.error.need."+r)
	}
	for prefix, values := range map[string][]string{
		"web.state.":  {"open", "decided", "stale", "all"},
		"web.action.": {"decide", "undo", "vote", "assign", "scope", "config"},
		"web.link.":   {roster.LinkAuto, roster.LinkAnalyst, roster.LinkSingle},
		"web.status.": {"active", "merged", "retired"},
		"web.event.":  {"created", "split-from", "merged-into", "absorbed", "retired"},
		"web.script.": {"az-latn", "az-cyrl", "ru-cyrl", "latn", "mixed"},
		"web.http.":   {"400", "401", "403", "404", "409", "429", "500"},
		"field.": {"surname", "given", "patronymic", "birth_year", "gender", "group", "case", "arrest_date", "status", "same_person",
			"persons", "person_id", "listed_by", "earlier_editions", "edition", "source", "field", "values", "by_source", "label", "groups",
			"others", "others_median", "count", "omitted", "listed_elsewhere", "persons_total", "change", "from", "to", "listed_by_others",
			"omissions", "gaps", "payload"},
	} {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	for f := range match.NumFields {
		for l := range match.NumLevels(f) {
			keys = append(keys, "web.level."+strings.ReplaceAll(match.LevelName(f, l), " ", "-"))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, l := range i18n.Langs {
		p := i18n.New(l)
		for _, k := range keys {
			if !p.Has(k) {
				t.Errorf("%s lacks %q", l, k)
			}
		}
		// Every verdict an item offers says what it means for its kind.
		for _, kind := range roster.Kinds {
			for _, pair := range []bool{false, true} {
				for _, v := range roster.Verdicts(kind, pair) {
					if verdictHint(p, kind, v) == "" {
						t.Errorf("%s: no hint for %s on a %s item", l, v, kind)
					}
				}
			}
		}
	}
	en := i18n.New(i18n.English)
	for _, k := range hkeys {
		// Give the message as many arguments as it takes, each noting
		// the verb it is printed with.
		var used []rune
		ok := false
		for n := 0; n < 8 && !ok; n++ {
			used = nil
			args := make([]any, n)
			for i := range args {
				args[i] = verbSpy{&used}
			}
			ok = !strings.Contains(en.T(k, args...), "%!")
		}
		if !ok || strings.Trim(string(used), "s") != "" {
			t.Errorf("th message %q takes verbs other than %%s: %q", k, string(used))
		}
	}
	// A plural is printed with n, a message with t: the other way round
	// the catalog has no such message.
	for _, k := range tkeys {
		if plural := slices.Contains(pkeys, k); strings.HasPrefix(en.T(k), "[") != plural {
			t.Errorf("%q is printed with the wrong function (plural: %v)", k, plural)
		}
	}
	if got := statusText(en, http.StatusConflict); got != "Conflict" {
		t.Errorf("statusText(409) = %q", got)
	}
}

func TestNameIn(t *testing.T) {
	cases := []struct {
		lang                        i18n.Lang
		canonical, russian, written string
		want                        personName
	}{
		{i18n.Azerbaijani, "Məmmədov Rəşad", "", "Мамедов Рашад", personName{"Məmmədov Rəşad", "Мамедов Рашад"}},
		{i18n.English, "Məmmədov Rəşad", "", "Мамедов Рашад", personName{"Mammadov Rashad", "Мамедов Рашад"}},
		// Russian: the person's Russian spelling, else a transcription.
		{i18n.Russian, "Məmmədov Rəşad", "Мамедов Рашад", "Мамедов Рашад", personName{"Мамедов Рашад", ""}},
		{i18n.Russian, "Məmmədov Rəşad", "", "Mammadov Rashad", personName{"Меммедов Решад", "Mammadov Rashad"}},
		// No canonical name: the record's spelling alone.
		{i18n.English, "", "", "Məmmədov Rəşad", personName{"", "Məmmədov Rəşad"}},
		// The same spelling is not repeated beside itself.
		{i18n.Azerbaijani, "Əliyev İlqar", "", "Əliyev İlqar", personName{"Əliyev İlqar", ""}},
	}
	for _, c := range cases {
		if got := nameIn(c.lang, c.canonical, c.russian, c.written); got != c.want {
			t.Errorf("nameIn(%s, %q, %q, %q) = %+v, want %+v", c.lang, c.canonical, c.russian, c.written, got, c.want)
		}
	}
	if got := capitalize(i18n.Azerbaijani, "imişli etirazı"); got != "İmişli etirazı" {
		t.Errorf("capitalize az = %q", got)
	}
	if got := capitalize(i18n.English, "imishli protest"); got != "Imishli protest" {
		t.Errorf("capitalize en = %q", got)
	}
}

// th escapes the message and the text arguments, and keeps the markup the
// template made.
func TestTH(t *testing.T) {
	p := i18n.New(i18n.English)
	got := th(p)("web.flash.decided.by", link("/items/3", "#3"), markup("strong")("<Same>"), `<script>`)
	want := template.HTML(`Item <a href="/items/3">#3</a> decided: <strong>&lt;Same&gt;</strong> by &lt;script&gt;.`)
	if got != want {
		t.Errorf("th = %s\nwant %s", got, want)
	}
	if got := link("https://evil.example/", "x"); got != `<a href="#">x</a>` {
		t.Errorf("an off-site link: %s", got)
	}
}

// Why a pair is queued, in the reader's language: the review band, and a
// refused link that would put two records of one list into one person.
func TestWhyPairInLanguages(t *testing.T) {
	band := roster.ReviewItem{Payload: `{"probability":0.62,"explanation":{"reason":"review band"}}`}
	if got := whyPair(i18n.New(i18n.Russian), band, roster.KindMatch); !strings.HasPrefix(got, "Вероятность совпадения (p = 0,62) в зоне проверки") {
		t.Errorf("ru band: %q", got)
	}
	merge := roster.ReviewItem{Payload: `{"probability":1,"explanation":{"reason":"link refused: the clusters share a list"},"clusters":[
		{"ref":"ipm@2025-06-01:1","person_id":"P-000001","records":[{"ref":"ipm@2025-06-01:1","name":"Həsənov Əli"}],"total":3},
		{"ref":"cdr@2025-09-01:7","person_id":"P-000002","records":[{"ref":"cdr@2025-09-01:7","name":"Гасанов Али"},{"ref":"ipm@2025-06-01:9","name":"Hasanov Ali"}],"total":2}]}`}
	want := map[i18n.Lang]string{
		i18n.English:     "The matcher would link them (p = 1.00), but the link was refused: joining them would merge P-000001 (ipm@2025-06-01:1 “Həsənov Əli”, 2 more) with P-000002 (cdr@2025-09-01:7 “Гасанов Али”, ipm@2025-06-01:9 “Hasanov Ali”), and it would put ipm@2025-06-01:1 and ipm@2025-06-01:9 (two records of ipm@2025-06-01) into one person, and a list names each person once.",
		i18n.Azerbaijani: "Səbəb: bu, ipm@2025-06-01:1 və ipm@2025-06-01:9 (ipm@2025-06-01 siyahısının iki qeydi) qeydlərini bir şəxsə salardı",
		i18n.Russian:     "она объединила бы P-000001 (ipm@2025-06-01:1 “Həsənov Əli”, ещё 2) с P-000002",
	}
	for l, w := range want {
		if got := whyPair(i18n.New(l), merge, roster.KindMatch); !strings.Contains(got, w) {
			t.Errorf("%s merge: %q, want it to hold %q", l, got, w)
		}
	}
	// The English is the CLI's (review.WhyPair), word for word.
	var pl struct {
		Clusters []review.PairCluster `json:"clusters"`
	}
	json.Unmarshal([]byte(merge.Payload), &pl)
	if got, cli := whyPair(i18n.New(i18n.English), merge, roster.KindMatch),
		review.WhyPair(roster.KindMatch, "link refused: the clusters share a list", 1, pl.Clusters, nil); got != cli {
		t.Errorf("the UI's English differs from the CLI's:\n%s\n%s", got, cli)
	}
}
