// Command tfshim stands in for the terraform (or tofu) CLI in acceptance
// runs: internal/acctest builds it once per run and names it in
// TF_ACC_TERRAFORM_PATH. It runs the real CLI with the same arguments, and
// around it does what would otherwise cost more CLI runs:
//
//   - `version` and `version -json` are answered from the first answer of
//     the run, which is the same for every working directory without a lock
//     file (the harness asks two or three times per test case, and each
//     start of the CLI costs a fifth of a second of CPU);
//   - what the command printed, the state it left and any saved plan it
//     wrote or read are handed to the test process, which scans them for
//     every watched value (see acctest.Run); a hit fails the command, naming
//     what held it, so the step that leaked fails;
//   - with GHSECRETS_CLI_TIMING set, one line per command: the subcommand,
//     its wall time and the CPU time of the CLI and its plugins.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// leakExit is the exit code of a command whose output or files held a
// watched value.
const leakExit = 97

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cli := os.Getenv("GHSECRETS_SHIM_REAL")
	if cli == "" {
		fmt.Fprintln(os.Stderr, "tfshim: GHSECRETS_SHIM_REAL names no CLI")
		return 2
	}
	if cachedVersion(args) {
		return 0
	}
	start := time.Now()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(cli, args...)
	cmd.Env = cliEnv()
	cmd.Stdin = os.Stdin
	cmd.Stdout = io.MultiWriter(os.Stdout, &stdout)
	cmd.Stderr = io.MultiWriter(os.Stderr, &stderr)
	// The CLI does not outlive the shim, which the harness may kill.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "tfshim: %v\n", err)
		return 2
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		fmt.Fprintf(os.Stderr, "tfshim: %v\n", err)
		return 2
	}
	timing(args, time.Since(start), cmd.ProcessState)

	blobs := []blob{{"the output of terraform " + subcommand(args), stdout.Bytes()}, {"the errors of terraform " + subcommand(args), stderr.Bytes()}}
	blobs = append(blobs, files(args)...)
	found, err := scan(blobs)
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "leak check: could not scan: %v\n", err)
		return leakExit
	case found != "":
		fmt.Fprintf(os.Stderr, "leak check: %s\n", found)
		return leakExit
	}
	return code
}

// cliEnv is the CLI's environment: the shim's, with the Go collector of the
// CLI held back until its heap reaches GHSECRETS_CLI_MEMLIMIT (default
// 1GiB) unless GOGC or GOMEMLIMIT is set. A test's CLI run lives a fraction
// of a second on a heap of a few tens of megabytes, where each collection
// is work thrown away: a third of a short run's CPU time. Above the limit
// the collector runs as it always does.
func cliEnv() []string {
	env := os.Environ()
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return env
	}
	limit := os.Getenv("GHSECRETS_CLI_MEMLIMIT")
	if limit == "" {
		limit = "1GiB"
	}
	return append(env, "GOGC=off", "GOMEMLIMIT="+limit)
}

// subcommand is the first argument that is not a flag.
func subcommand(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// cachedVersion answers `version` and `version -json` from the run's cache,
// filling it on the first ask, and reports whether it answered. A working directory with a lock file is not
// served from it: `version -json` lists the providers it selects.
func cachedVersion(args []string) bool {
	dir := os.Getenv("GHSECRETS_SHIM_CACHE")
	key := strings.Join(args, " ")
	if dir == "" || (key != "version" && key != "version -json") {
		return false
	}
	if _, err := os.Stat(".terraform.lock.hcl"); err == nil {
		return false
	}
	name := filepath.Join(dir, strings.ReplaceAll(key, " ", "_"))
	if out, err := os.ReadFile(name); err == nil {
		_, _ = os.Stdout.Write(out)
		return true
	}
	out, err := exec.Command(os.Getenv("GHSECRETS_SHIM_REAL"), args...).Output()
	if err != nil {
		return false // not cached: the real run says what is wrong
	}
	tmp := fmt.Sprintf("%s.%d", name, os.Getpid())
	if os.WriteFile(tmp, out, 0o600) == nil {
		_ = os.Rename(tmp, name)
	}
	_, _ = os.Stdout.Write(out)
	return true
}

func timing(args []string, wall time.Duration, state *os.ProcessState) {
	path := os.Getenv("GHSECRETS_CLI_TIMING")
	if path == "" || state == nil {
		return
	}
	cpu := state.UserTime() + state.SystemTime()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %d %d\n", subcommand(args), wall.Milliseconds(), cpu.Milliseconds())
}

// blob is one thing to scan: what it is, for the message, and its bytes.
type blob struct {
	what string
	raw  []byte
}

// files are the state the command left in its working directory and the
// saved plans it names, each entry of a plan's archive but its copy of the
// configuration (the test's own input).
func files(args []string) []blob {
	var out []blob
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if raw, err := os.ReadFile(name); err == nil {
			out = append(out, blob{"the state file " + name, raw})
		}
	}
	for _, plan := range planFiles(args) {
		r, err := zip.OpenReader(plan)
		if err != nil {
			continue
		}
		for _, f := range r.File {
			if strings.HasSuffix(f.Name, ".tf") || strings.HasSuffix(f.Name, ".tf.json") || strings.HasPrefix(f.Name, "tfconfig/") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				continue
			}
			raw, err := io.ReadAll(rc)
			rc.Close()
			if err == nil {
				out = append(out, blob{"the saved plan " + plan + " (" + f.Name + ")", raw})
			}
		}
		r.Close()
	}
	return out
}

// planFiles are the saved plans a command writes (-out=) or reads (a file
// argument of apply or show).
func planFiles(args []string) []string {
	var out []string
	sub := subcommand(args)
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "-out="); ok {
			out = append(out, v)
			continue
		}
		if a == "-out" && i+1 < len(args) {
			out = append(out, args[i+1])
			continue
		}
		if (sub == "apply" || sub == "show") && a != sub && !strings.HasPrefix(a, "-") {
			if info, err := os.Stat(a); err == nil && !info.IsDir() {
				out = append(out, a)
			}
		}
	}
	return out
}

// scan hands the blobs to the test process over its socket, and returns
// what it found ("" for nothing). Each blob goes as its description and its
// bytes, each prefixed with its length; the answer is one line.
func scan(blobs []blob) (string, error) {
	socket := os.Getenv("GHSECRETS_SHIM_SOCKET")
	if socket == "" || os.Getenv("GHSECRETS_SHIM_SCAN") == "off" {
		return "", nil
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	w := bufio.NewWriter(conn)
	for _, b := range blobs {
		for _, part := range [][]byte{[]byte(b.what), b.raw} {
			if err := binary.Write(w, binary.BigEndian, uint64(len(part))); err != nil {
				return "", err
			}
			if _, err := w.Write(part); err != nil {
				return "", err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if unix, ok := conn.(*net.UnixConn); ok {
		if err := unix.CloseWrite(); err != nil {
			return "", err
		}
	}
	answer, err := io.ReadAll(conn)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(answer)), nil
}
