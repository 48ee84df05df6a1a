// Command fakegithub serves the fake GitHub org Actions secrets API on a
// loopback address, for demos that must not touch the real GitHub.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("fakegithub: %v", err)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to listen on")
	token := flag.String("token", "demo-token", "the only token accepted")
	org := flag.String("org", "demo-org", "organization login")
	repos := flag.String("repos", "api,web,worker", "comma-separated repository names to create in the organization")
	urlFile := flag.String("url-file", "", "file to write the base URL to once listening")
	pidFile := flag.String("pid-file", "", "file to write the process id to")
	latency := flag.Duration("latency", 0, "how long each request waits before it is answered, e.g. 150ms")
	jitter := flag.Duration("latency-jitter", 0, "random extra latency of up to this much per request")
	secondary := flag.Bool("secondary-limits", false, "enforce GitHub's documented secondary rate limits")
	writesPerMinute := flag.Int("writes-per-minute", 0, "cap on writes per minute across endpoints, e.g. 80 (implies -secondary-limits)")
	retryAfter := flag.Duration("retry-after", 0, "Retry-After of every secondary-limit rejection, e.g. 5s, instead of the time until the limit has room (implies -secondary-limits)")
	rateLimitsOff := flag.Bool("rate-limits-off", false, "serve like GitHub Enterprise Server with rate limiting disabled")
	ghes := flag.Bool("ghes", false, "serve as GitHub Enterprise Server 3.19: its version header, and only the kinds of secret it has")
	primaryLimit := flag.Int("primary-limit", 0, "enforce this many requests per hour (0: report 5000 without enforcing)")
	echo := flag.Bool("echo-requests", false, "hostile: repeat the token and sealed values of each request, with control characters, in every error")
	redirectWrites := flag.String("redirect-writes-to", "", "hostile: answer every PUT and DELETE with a redirect to this root (e.g. another port)")
	redirectReads := flag.String("redirect-reads-to", "", "hostile: answer every GET with a redirect to this root")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.LUTC)

	if err := checkLoopback(*listen); err != nil {
		return err
	}
	if *token == "" || *org == "" {
		return errors.New("-token and -org must not be empty")
	}
	if *latency < 0 || *jitter < 0 || *writesPerMinute < 0 || *primaryLimit < 0 || *retryAfter < 0 {
		return errors.New("-latency, -latency-jitter, -writes-per-minute, -retry-after and -primary-limit must not be negative")
	}
	// A stale file from an earlier run would send waiting scripts to a dead port.
	for _, f := range []string{*urlFile, *pidFile} {
		if f != "" {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}

	opts := fakegithub.Options{
		Token:         *token,
		Orgs:          []string{*org},
		Latency:       *latency,
		LatencyJitter: *jitter,
		RateLimitsOff: *rateLimitsOff,
		GHES:          *ghes,
		PrimaryLimit:  *primaryLimit,
		Hostile:       fakegithub.Hostile{EchoRequests: *echo, RedirectWritesTo: *redirectWrites, RedirectReadsTo: *redirectReads},
	}
	if *secondary || *writesPerMinute > 0 || *retryAfter > 0 {
		opts.Secondary = &fakegithub.SecondaryLimits{WritesPerMinute: *writesPerMinute, RetryAfter: *retryAfter}
	}
	api := fakegithub.New(opts)
	for _, name := range strings.Split(*repos, ",") {
		if name = strings.TrimSpace(name); name != "" {
			repo := api.AddRepository(*org, name)
			fmt.Printf("repository %s id=%d\n", repo.FullName, repo.ID)
		}
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String() + "/"
	srv := &http.Server{Handler: logRequests(api), ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	if *pidFile != "" {
		if err := writeFileAtomic(*pidFile, strconv.Itoa(os.Getpid())+"\n"); err != nil {
			return err
		}
		defer os.Remove(*pidFile)
	}
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, baseURL+"\n"); err != nil {
			return err
		}
		defer os.Remove(*urlFile)
	}
	log.Printf("serving org %s at %s", *org, baseURL)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// checkLoopback refuses addresses reachable from other machines: the fake
// accepts a well-known demo token.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q: only loopback addresses are allowed", addr)
}

// writeFileAtomic renames into place so a reader never sees a partial file.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets the fake take over the connection to drop it.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests logs method, path and status only: bodies carry secrets and
// headers the token.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		log.Printf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start).Round(time.Microsecond))
	})
}
