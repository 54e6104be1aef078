// Package manifest makes exports verifiable: manifest.json beside the
// exported files lists the SHA-256 of each, the database's list editions
// with their input files' hashes, the match run, the counts and the
// audience; manifest.sig is an Ed25519 signature over the manifest's exact
// bytes. Verify checks a directory against both and names every
// difference; it needs no database.
//
// # Keys and signatures
//
// Keys are standard PEM files, so anyone can check a signature without
// Roster: the private key is PKCS #8 ("PRIVATE KEY"), the public key PKIX
// ("PUBLIC KEY"), and manifest.sig holds the 64 raw signature bytes:
//
//	openssl pkeyutl -verify -pubin -inkey coalition.pub -rawin -in manifest.json -sigfile manifest.sig
//	sha256sum registry.csv   # and compare with manifest.json
//
// Manifests are deterministic (no time of writing: the match run dates
// them), so the same database and export give the same bytes.
package manifest

import (
	"bytes"
	"cmp"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// File names beside the exported files.
const (
	Name    = "manifest.json"
	SigName = "manifest.sig"
)

// Version is the manifest format.
const Version = "roster-manifest/1"

// Manifest describes an export directory.
type Manifest struct {
	Format   string   `json:"format"`
	Audience string   `json:"audience"`
	Files    []File   `json:"files"`
	Database Database `json:"database"`
	Counts   Counts   `json:"counts"`
}

// File is one exported file.
type File struct {
	Name   string `json:"name"` // the base name, beside manifest.json
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	What   string `json:"what,omitempty"`   // registry, crosswalk, tallies, report
	Format string `json:"format,omitempty"` // csv, json, xlsx, html…
}

// Database is what the export was made from.
type Database struct {
	Lists    []List `json:"lists"`
	MatchRun *Run   `json:"match_run,omitempty"`
}

// List is one edition of a source's list.
type List struct {
	Source  string      `json:"source"`
	Edition string      `json:"edition"`
	Records int         `json:"records"`
	Files   []InputFile `json:"files"`
}

// InputFile is a file an edition was imported from.
type InputFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Run is the match run the persons come from.
type Run struct {
	ID              int64   `json:"id"`
	FinishedAt      string  `json:"finished_at"`
	LinkThreshold   float64 `json:"link_threshold"`
	ReviewThreshold float64 `json:"review_threshold"`
}

// Counts are the database's counts as the audience sees them.
type Counts struct {
	Records  int `json:"records"`  // records in the database
	Persons  int `json:"persons"`  // persons in the registry, every one counted
	Withheld int `json:"withheld"` // persons counted but not named (private persons, for the public audience)
}

// Describe hashes an exported file's bytes.
func Describe(name string, data []byte, what, format string) File {
	sum := sha256.Sum256(data)
	return File{Name: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(data)), What: what, Format: format}
}

// Add puts f in the manifest, replacing a file of the same name; files
// stay sorted by name.
func (m *Manifest) Add(f File) {
	m.Files = slices.DeleteFunc(m.Files, func(x File) bool { return x.Name == f.Name })
	m.Files = append(m.Files, f)
	slices.SortFunc(m.Files, func(a, b File) int { return cmp.Compare(a.Name, b.Name) })
}

// SameExport reports whether two manifests describe exports of the same
// database state for the same audience (so their files can share one
// manifest); it says why not.
func SameExport(a, b Manifest) error {
	if a.Audience != b.Audience {
		return fmt.Errorf("it is for the %s audience, this export for %s", a.Audience, b.Audience)
	}
	ja, _ := json.Marshal(a.Database)
	jb, _ := json.Marshal(b.Database)
	if !bytes.Equal(ja, jb) {
		return errors.New("it describes another state of the database (lists or match run)")
	}
	if a.Counts != b.Counts {
		return errors.New("its counts differ")
	}
	return nil
}

// Marshal writes the manifest as indented JSON with a final newline.
func (m Manifest) Marshal() []byte {
	m.Format = Version
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

// Parse reads a manifest.
func Parse(b []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("not a roster manifest: %w", err)
	}
	if m.Format != Version {
		return m, fmt.Errorf("not a roster manifest (format %q, want %q)", m.Format, Version)
	}
	return m, nil
}

// Keys.

const (
	pemPrivate = "PRIVATE KEY"
	pemPublic  = "PUBLIC KEY"
)

// NewKey makes an Ed25519 key pair from rand and returns the private key
// (PKCS #8) and the public key (PKIX), PEM-encoded.
func NewKey(rand io.Reader) (private, public []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, nil, fmt.Errorf("new key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("new key: %w", err)
	}
	pder, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("new key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivate, Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: pemPublic, Bytes: pder}), nil
}

// ParsePrivateKey reads a PEM private key; it must be Ed25519.
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != pemPrivate {
		if blk != nil && blk.Type == pemPublic {
			return nil, errors.New("this is a public key: signing needs the private key (PREFIX.key)")
		}
		return nil, errors.New("not a PEM private key (want the PREFIX.key that roster keys new writes)")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key: %T, want Ed25519", k)
	}
	return ek, nil
}

// ParsePublicKey reads a PEM public key; it must be Ed25519.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != pemPublic {
		if blk != nil && blk.Type == pemPrivate {
			return nil, errors.New("this is a private key: verify with the public key (PREFIX.pub), and keep the private one secret")
		}
		return nil, errors.New("not a PEM public key (want the PREFIX.pub that roster keys new writes)")
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key: %T, want Ed25519", k)
	}
	return ek, nil
}

// Fingerprint names a public key: "SHA256:" and the unpadded base64 of
// the SHA-256 of its 32 bytes.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Sign signs a manifest's bytes.
func Sign(priv ed25519.PrivateKey, manifest []byte) []byte { return ed25519.Sign(priv, manifest) }

// Problem is one difference between a directory and its manifest.
type Problem struct {
	File string // the file concerned (manifest.json, manifest.sig, or an exported file)
	What string
}

func (p Problem) String() string { return p.File + ": " + p.What }

// Result is what Verify found.
type Result struct {
	Manifest Manifest
	Signed   bool   // the signature was checked and holds
	Key      string // the fingerprint of the key checked against
	Files    []string
	Problems []Problem
}

// OK reports whether nothing differs.
func (r Result) OK() bool { return len(r.Problems) == 0 }

// Verify checks a directory (os.DirFS) against its manifest: the signature (when pub
// is given), then every listed file's size and SHA-256, then that no file
// is there that the manifest does not list. Each difference is a Problem
// naming the file.
func Verify(dir fs.FS, pub ed25519.PublicKey) (Result, error) {
	var res Result
	raw, err := fs.ReadFile(dir, Name)
	if err != nil {
		return res, fmt.Errorf("%s: %w", Name, err)
	}
	m, err := Parse(raw)
	if err != nil {
		return res, fmt.Errorf("%s: %w", Name, err)
	}
	res.Manifest = m
	if pub != nil {
		res.Key = Fingerprint(pub)
		sig, err := fs.ReadFile(dir, SigName)
		switch {
		case err != nil:
			res.Problems = append(res.Problems, Problem{SigName, "missing: the manifest is not signed"})
		case len(sig) != ed25519.SignatureSize:
			res.Problems = append(res.Problems, Problem{SigName, fmt.Sprintf("not an Ed25519 signature (%d bytes, want %d)", len(sig), ed25519.SignatureSize)})
		case !ed25519.Verify(pub, raw, sig):
			res.Problems = append(res.Problems, Problem{Name, fmt.Sprintf("the signature (%s) does not verify with key %s: the manifest or its signature was changed after signing, or another key signed it", SigName, res.Key)})
		default:
			res.Signed = true
		}
	}
	listed := map[string]bool{Name: true, SigName: true}
	for _, f := range m.Files {
		if f.Name == "" || f.Name == "." || f.Name == ".." || strings.ContainsAny(f.Name, `/\`) || listed[f.Name] {
			res.Problems = append(res.Problems, Problem{Name, fmt.Sprintf("lists %q, which is not a file name beside the manifest (or is listed twice)", f.Name)})
			continue
		}
		listed[f.Name] = true
		res.Files = append(res.Files, f.Name)
		b, err := fs.ReadFile(dir, f.Name)
		if err != nil {
			res.Problems = append(res.Problems, Problem{f.Name, "missing"})
			continue
		}
		got := Describe(f.Name, b, "", "")
		switch {
		case got.SHA256 != f.SHA256 && got.Bytes != f.Bytes:
			res.Problems = append(res.Problems, Problem{f.Name, fmt.Sprintf("differs: %d bytes, SHA-256 %s; the manifest says %d bytes, %s", got.Bytes, got.SHA256, f.Bytes, f.SHA256)})
		case got.SHA256 != f.SHA256:
			res.Problems = append(res.Problems, Problem{f.Name, fmt.Sprintf("differs: SHA-256 %s; the manifest says %s (same size, %d bytes)", got.SHA256, f.SHA256, f.Bytes)})
		case got.Bytes != f.Bytes:
			res.Problems = append(res.Problems, Problem{f.Name, fmt.Sprintf("differs: %d bytes; the manifest says %d", got.Bytes, f.Bytes)})
		}
	}
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			what := "not in the manifest"
			if e.IsDir() {
				what = "a directory, not in the manifest"
			}
			res.Problems = append(res.Problems, Problem{e.Name(), what})
		}
	}
	return res, nil
}
