package acctest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The CLI runs through tfshim (internal/acctest/tfshim), which answers the
// harness's repeated `version` questions from one answer and hands every
// command's output, state and saved plans to this process for the leak scan:
// a scan that costs no CLI run of its own (before, every step ran `terraform
// show -json` twice more for it).

// useShim builds tfshim into dir, puts it in front of the CLI in
// TF_ACC_TERRAFORM_PATH and serves its scans. Without a CLI it does nothing.
func useShim(dir string) error {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" || os.Getenv("GHSECRETS_SHIM_REAL") != "" {
		return nil
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	shim := filepath.Join(dir, "cli", "terraform")
	build := exec.Command("go", "build", "-o", shim, "./internal/acctest/tfshim")
	build.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the CLI shim: %w\n%s", err, out)
	}
	cache := filepath.Join(dir, "cli", "version")
	if err := os.MkdirAll(cache, 0o700); err != nil {
		return err
	}
	socket := filepath.Join(dir, "cli", "scan.sock")
	ln, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	onExit(func() { ln.Close() })
	go serveScans(ln)
	for k, v := range map[string]string{
		"GHSECRETS_SHIM_REAL": cli, "GHSECRETS_SHIM_CACHE": cache, "GHSECRETS_SHIM_SOCKET": socket,
		"TF_ACC_TERRAFORM_PATH": shim,
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// RealCLI is the CLI the tests run, behind the shim.
func RealCLI() string {
	if cli := os.Getenv("GHSECRETS_SHIM_REAL"); cli != "" {
		return cli
	}
	return os.Getenv("TF_ACC_TERRAFORM_PATH")
}

func serveScans(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			r := bufio.NewReader(conn)
			found, err := scanConn(r)
			if err != nil {
				found = "the scan failed: " + err.Error()
			}
			// Read what is left, so the shim's writes end before the answer.
			_, _ = io.Copy(io.Discard, r)
			_, _ = io.WriteString(conn, found+"\n")
		}()
	}
}

// scanConn reads what the shim sends (description, bytes; each prefixed
// with its length) and returns the first watched value found, as "<what>
// holds <kind>", or "".
func scanConn(r io.Reader) (string, error) {
	f := newFinder(watched.snapshot())
	for {
		what, err := readPart(r)
		if errors.Is(err, io.EOF) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		raw, err := readPart(r)
		if err != nil {
			return "", err
		}
		if kind := f.find(raw); kind != "" {
			return fmt.Sprintf("%s holds %s", what, kind), nil
		}
	}
}

func readPart(r io.Reader) ([]byte, error) {
	var n uint64
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	if n > 1<<31 {
		return nil, fmt.Errorf("a part of %d bytes", n)
	}
	buf := make([]byte, n)
	_, err := io.ReadFull(r, buf)
	return buf, err
}
