// Package deploy_test exercises the deployment files: the systemd units
// pass systemd-analyze verify (where it is installed), the Dockerfile is
// multi-stage and non-root and builds where a docker engine runs, and the
// command lines both start run the real binary: HTTPS, /healthz, a clean
// stop on SIGTERM.
package deploy_test

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unitValues returns the values of a key in a unit file.
func unitValues(unit, key string) []string {
	var out []string
	for _, line := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestSystemdUnitsVerify(t *testing.T) {
	units := []string{"roster.service", "roster-backup.service", "roster-backup.timer"}
	svc := read(t, "roster.service")
	for _, want := range []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
		"CapabilityBoundingSet=", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute=yes",
		"SystemCallFilter=@system-service", "LoadCredential=tls.key:/etc/roster/tls.key", "KillSignal=SIGTERM", "User=roster", "UMask=0077"} {
		if len(unitValues(svc, strings.SplitN(want, "=", 2)[0])) == 0 || !strings.Contains(svc, want+"\n") {
			t.Errorf("roster.service lacks %s", want)
		}
	}
	bin, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd); CI runs: systemd-analyze verify --man=no deploy/*.service deploy/*.timer")
	}
	roster := buildRoster(t)
	dir := t.TempDir()
	for _, u := range units {
		// verify wants the ExecStart binary to exist: point it at a build.
		os.WriteFile(filepath.Join(dir, u), []byte(strings.ReplaceAll(read(t, u), "/usr/local/bin/roster", roster)), 0o644)
	}
	verify := exec.Command(bin, append([]string{"verify", "--man=no"}, units...)...)
	verify.Dir = dir
	out, err := verify.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// It does catch a mistake (so its silence above means something).
	bad := strings.Replace(read(t, "roster.service"), "ProtectSystem=strict", "ProtectSystem=sometimes", 1)
	os.WriteFile(filepath.Join(dir, "bad.service"), []byte(strings.ReplaceAll(bad, "/usr/local/bin/roster", roster)), 0o644)
	cmd := exec.Command(bin, "verify", "--man=no", "bad.service")
	cmd.Dir = dir
	if out, _ := cmd.CombinedOutput(); !strings.Contains(string(out), "sometimes") {
		t.Errorf("systemd-analyze verify did not catch a bad value: %s", out)
	}
}

func TestDockerfile(t *testing.T) {
	df := read(t, "Dockerfile")
	froms := regexp.MustCompile(`(?m)^FROM `).FindAllString(df, -1)
	if len(froms) < 2 {
		t.Errorf("the Dockerfile has %d stages; want a build stage and a runtime stage", len(froms))
	}
	users := regexp.MustCompile(`(?m)^USER (\S+)`).FindAllStringSubmatch(df, -1)
	if len(users) == 0 || strings.HasPrefix(users[len(users)-1][1], "0") || strings.HasPrefix(users[len(users)-1][1], "root") {
		t.Errorf("the runtime stage does not run as a non-root user: %v", users)
	}
	for _, want := range []string{`VOLUME ["/data"]`, "ENV ROSTER_DB=/data/roster.db", "--tls-cert", "EXPOSE 8443"} {
		if !strings.Contains(df, want) {
			t.Errorf("the Dockerfile lacks %s", want)
		}
	}
	ignore := read(t, "../.dockerignore")
	for _, want := range []string{"*.db", "*.key", "*.age", ".git"} {
		if !strings.Contains(ignore, want+"\n") {
			t.Errorf(".dockerignore does not keep %s out of the build context", want)
		}
	}
	docker, err := exec.LookPath("docker")
	if err != nil || exec.Command(docker, "info").Run() != nil {
		t.Skip("no docker engine here: the image is not built. Where docker runs: docker build -f deploy/Dockerfile -t roster .")
	}
	out, err := exec.Command(docker, "build", "-f", "Dockerfile", "-t", "roster-test", "..").CombinedOutput()
	if err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
}

// The command lines of the unit and the image, run for real.

func TestUnitAndImageCommandLinesServe(t *testing.T) {
	roster := buildRoster(t)
	certs := testCerts(t)
	svcArgs := strings.Fields(unitValues(read(t, "roster.service"), "ExecStart")[0])[1:]
	var cmdArgs []string
	m := regexp.MustCompile(`(?m)^CMD (\[.*\])$`).FindStringSubmatch(read(t, "Dockerfile"))
	if m == nil || json.Unmarshal([]byte(m[1]), &cmdArgs) != nil {
		t.Fatal("no CMD [...] in the Dockerfile")
	}
	for name, args := range map[string][]string{"roster.service": svcArgs, "Dockerfile": cmdArgs} {
		t.Run(name, func(t *testing.T) {
			for i, a := range args {
				a = strings.ReplaceAll(a, "${CREDENTIALS_DIRECTORY}", certs)
				a = strings.ReplaceAll(a, "/run/secrets", certs)
				args[i] = strings.Replace(a, "0.0.0.0:8443", "127.0.0.1:0", 1) // loopback, any port, in a test
			}
			serveAndStop(t, roster, args)
		})
	}
}

func serveAndStop(t *testing.T, roster string, args []string) {
	db := filepath.Join(t.TempDir(), "roster.db")
	// As the install steps say: the first account creates the database
	// (serve never creates one).
	add := exec.Command(roster, "user", "add", "admin")
	add.Env = append(os.Environ(), "ROSTER_DB="+db)
	add.Stdin = strings.NewReader("a long enough password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("roster user add admin: %v\n%s", err, out)
	}
	cmd := exec.Command(roster, args...)
	cmd.Env = append(os.Environ(), "ROSTER_DB="+db)
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`on (https://127\.0\.0\.1:\d+) `).FindStringSubmatch(line)
	if m == nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("roster %s said %q\n%s", strings.Join(args, " "), line, stderr.String())
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} // the certificate is this test's own
	res, err := client.Get(m[1] + "/healthz")
	if err != nil || res.StatusCode != 200 || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("healthz over HTTPS: %v %v", err, res)
	}
	if res != nil {
		res.Body.Close()
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no stop on SIGTERM")
	}
	for _, want := range []string{`"msg":"shutting down: finishing the requests in flight"`, `"msg":"stopped"`, `"route":"GET /healthz"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the logs are not JSON or lack %s:\n%s", want, stderr.String())
		}
	}
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// buildRoster builds the binary once for the package's tests.
func buildRoster(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "roster-deploy-test")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "roster")
		if out, err := exec.Command("go", "build", "-o", built, "../cmd/roster").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

// testCerts makes a self-signed certificate as tls.crt and tls.key (the
// names both the unit and the image use) with openssl.
func testCerts(t *testing.T) string {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl to make a test certificate")
	}
	dir := t.TempDir()
	out, err := exec.Command(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
		"-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", filepath.Join(dir, "tls.key"),
		"-out", filepath.Join(dir, "tls.crt")).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	return dir
}
