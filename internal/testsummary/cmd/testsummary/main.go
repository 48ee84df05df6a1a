// Command testsummary reads `go test -json` on standard input and prints
// what ran: counts, skip reasons grouped, failures and the slowest tests.
//
//	go test -json ./... | go run ./internal/testsummary/cmd/testsummary -title terraform-1.15.9
//
// It exits 1 when a test or a package failed, or when no test ran.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/testsummary"
)

func main() {
	title := flag.String("title", "go test", "what the run was, for the summary's lines")
	slowest := flag.Int("slowest", 10, "how many of the slowest top-level tests to list")
	flag.Parse()

	s, err := testsummary.Read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	s.Write(os.Stdout, *title, *slowest)
	if !s.OK() {
		os.Exit(1)
	}
}
