package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/provider"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

// profileEnv names a folder where each provider process writes its CPU
// profile, cpu-PID.pprof, when Terraform stops it; unset (the default), no
// profile is taken.
const profileEnv = "GHSECRETS_CPU_PROFILE_DIR"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode for a debugger such as delve")
	flag.Parse()

	if err := provider.QuietLogs(); err != nil {
		log.Fatal(err.Error())
	}
	stop, err := startProfile(os.Getenv(profileEnv))
	if err != nil {
		log.Fatal(err.Error())
	}
	err = providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ghsecrets/ghsecrets",
		Debug:   debug,
	})
	stop()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// startProfile starts a CPU profile written to dir/cpu-PID.pprof, and
// returns what ends it; with dir empty it does nothing.
func startProfile(dir string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", profileEnv, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", profileEnv, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
