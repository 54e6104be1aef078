package manifest

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// signedDir writes three exported files, their manifest and its
// signature, and returns the directory and the public key.
func signedDir(t *testing.T) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	priv, pub, err := NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	m := Manifest{Audience: "public", Counts: Counts{Records: 9, Persons: 4, Withheld: 1},
		Database: Database{Lists: []List{{Source: "ipm", Edition: "2025-06-01", Records: 9, Files: []InputFile{{Name: "ipm.csv", SHA256: "ab", Bytes: 3}}}},
			MatchRun: &Run{ID: 2, FinishedAt: "2026-01-15T10:00:00Z", LinkThreshold: 0.8, ReviewThreshold: 0.3}}}
	for name, data := range map[string]string{
		"registry.csv":  "person_id,name\nP-000001,Məmmədov Əli\n",
		"registry.json": `[{"person_id": "P-000001"}]` + "\n",
		"tallies.csv":   "group,registry\ntotal,4\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		m.Add(Describe(name, []byte(data), "registry", filepath.Ext(name)[1:]))
	}
	raw := m.Marshal()
	key, err := ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, Name), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SigName), Sign(key, raw), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, pub
}

func TestVerifyGood(t *testing.T) {
	dir, pubPEM := signedDir(t)
	pub, err := ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(os.DirFS(dir), pub)
	if err != nil || !res.OK() || !res.Signed || len(res.Files) != 3 || res.Manifest.Counts.Withheld != 1 {
		t.Fatalf("Verify = %+v, %v; want three files, signed, no problem", res, err)
	}
	// Another key does not verify it.
	_, other, _ := NewKey(rand.Reader)
	opub, _ := ParsePublicKey(other)
	res, err = Verify(os.DirFS(dir), opub)
	if err != nil || res.OK() || res.Problems[0].File != Name {
		t.Fatalf("Verify with another key = %+v, %v", res.Problems, err)
	}
}

// TestOneChangedByteFails changes each byte of every file in turn (the
// exported files, the manifest and its signature): every change fails
// verification and names the file changed.
func TestOneChangedByteFails(t *testing.T) {
	dir, pubPEM := signedDir(t)
	pub, _ := ParsePublicKey(pubPEM)
	names := []string{"registry.csv", "registry.json", "tallies.csv", Name, SigName}
	changes := 0
	for _, name := range names {
		path := filepath.Join(dir, name)
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range orig {
			b := bytes.Clone(orig)
			b[i] ^= 0x01
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			changes++
			res, err := Verify(os.DirFS(dir), pub)
			var said string
			if err != nil {
				said = err.Error()
			} else {
				for _, p := range res.Problems {
					said += p.String() + "\n"
				}
			}
			if err == nil && res.OK() {
				t.Fatalf("%s byte %d changed: verification passed", name, i)
			}
			if !strings.Contains(said, name) {
				t.Fatalf("%s byte %d changed: the failure does not name it: %s", name, i, said)
			}
		}
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := Verify(os.DirFS(dir), pub); err != nil || !res.OK() {
		t.Fatalf("restored directory: %+v, %v", res.Problems, err)
	}
	t.Logf("%d one-byte changes, each caught and named", changes)
}

func TestVerifyMissingAndExtra(t *testing.T) {
	dir, pubPEM := signedDir(t)
	pub, _ := ParsePublicKey(pubPEM)
	os.Remove(filepath.Join(dir, "tallies.csv"))
	os.WriteFile(filepath.Join(dir, "extra.csv"), []byte("x"), 0o644)
	res, err := Verify(os.DirFS(dir), pub)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String())
	}
	want := []string{"tallies.csv: missing", "extra.csv: not in the manifest"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("problems = %q; want %q", got, want)
	}
	os.Remove(filepath.Join(dir, SigName))
	res, _ = Verify(os.DirFS(dir), pub)
	if res.Problems[0].String() != "manifest.sig: missing: the manifest is not signed" {
		t.Errorf("unsigned: %v", res.Problems[0])
	}
}

func TestKeys(t *testing.T) {
	priv, pub, err := NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePrivateKey(pub); err == nil || !strings.Contains(err.Error(), "public key") {
		t.Errorf("a public key as private: %v", err)
	}
	if _, err := ParsePublicKey(priv); err == nil || !strings.Contains(err.Error(), "private key") {
		t.Errorf("a private key as public: %v", err)
	}
	if _, err := ParsePublicKey([]byte("hello")); err == nil {
		t.Error("garbage parsed as a key")
	}
	k, _ := ParsePublicKey(pub)
	if fp := Fingerprint(k); !strings.HasPrefix(fp, "SHA256:") || len(fp) != 50 {
		t.Errorf("fingerprint %q", fp)
	}
}

// TestOpenSSLVerifies: the signature is standard Ed25519 over the
// manifest's bytes and the key a standard PEM file, so openssl checks it
// without Roster (skipped without openssl).
func TestOpenSSLVerifies(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl")
	}
	dir, pub := signedDir(t)
	keyFile := filepath.Join(t.TempDir(), "k.pub")
	os.WriteFile(keyFile, pub, 0o644)
	out, err := exec.Command(bin, "pkeyutl", "-verify", "-pubin", "-inkey", keyFile, "-rawin",
		"-in", filepath.Join(dir, Name), "-sigfile", filepath.Join(dir, SigName)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Signature Verified Successfully") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
}

func TestSameExport(t *testing.T) {
	a := Manifest{Audience: "public", Counts: Counts{Persons: 3}}
	if err := SameExport(a, a); err != nil {
		t.Error(err)
	}
	b := a
	b.Audience = "coalition"
	if SameExport(a, b) == nil {
		t.Error("different audiences share a manifest")
	}
	b = a
	b.Database.MatchRun = &Run{ID: 3}
	if SameExport(a, b) == nil {
		t.Error("different runs share a manifest")
	}
}
