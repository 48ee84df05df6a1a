// Command releaseconfig loads a goreleaser configuration with the pinned
// goreleaser's own configuration types, strictly: an unknown or misspelt
// key, a value of the wrong type or a configuration version other than 2
// fails, naming the line. It is what CI checks on every run, since building
// all of goreleaser for `goreleaser check` (make release-check, which also
// applies each pipe's defaults and reports deprecations) costs a fifth of
// CI's time on a fresh machine.
package main

import (
	"fmt"
	"os"

	"github.com/goreleaser/goreleaser/v2/pkg/config"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: releaseconfig .goreleaser.yml")
		os.Exit(2)
	}
	project, err := config.Load(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	if project.Version != 2 {
		fmt.Fprintf(os.Stderr, "%s: version is %d; the pinned goreleaser reads version 2\n", os.Args[1], project.Version)
		os.Exit(1)
	}
	if len(project.Builds) == 0 {
		fmt.Fprintf(os.Stderr, "%s: no builds\n", os.Args[1])
		os.Exit(1)
	}
	fmt.Printf("%s: loaded strictly with goreleaser's configuration types: %d build(s), %d archive(s)\n", os.Args[1], len(project.Builds), len(project.Archives))
}
