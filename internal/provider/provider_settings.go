package provider

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// settingValue is one provider attribute, for the check that none is unknown.
type settingValue struct {
	at    path.Path
	value attr.Value
}

func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// retryPolicy turns max_retries and max_rate_limit_wait into the client's
// policy; unset fields keep the client's defaults.
func retryPolicy(cfg providerModel, diags *diag.Diagnostics) client.RetryPolicy {
	p := client.RetryPolicy{MaxRetries: defaultMaxRetries, MaxRateLimitWait: defaultMaxRateLimitWait}
	if known(cfg.MaxRetries) {
		p.MaxRetries = int(cfg.MaxRetries.ValueInt64())
		if p.MaxRetries == 0 {
			p.MaxRetries = -1 // the client reads 0 as "default"
		}
	}
	if known(cfg.MaxRateLimitWait) {
		d, err := time.ParseDuration(cfg.MaxRateLimitWait.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("max_rate_limit_wait"), "Invalid Duration", err.Error())
		}
		p.MaxRateLimitWait = d
	}
	return p
}

// appAuth resolves the app_auth block, falling back to the environment
// that getenv reads.
func appAuth(m *appAuthModel, getenv func(string) string, diags *diag.Diagnostics) *client.AppAuth {
	id := firstNonEmpty(m.ID.ValueString(), getenv(envAppID))
	installation := firstNonEmpty(m.InstallationID.ValueString(), getenv(envAppInstallationID))
	pemValue := firstNonEmpty(m.PEMFile.ValueString(), getenv(envAppPEMFile))
	for _, missing := range []struct{ name, env, value string }{
		{"id", envAppID, id}, {"installation_id", envAppInstallationID, installation}, {"pem_file", envAppPEMFile, pemValue},
	} {
		if missing.value == "" {
			diags.AddAttributeError(path.Root("app_auth").AtName(missing.name), "Missing GitHub App Setting",
				fmt.Sprintf("GitHub App authentication needs app_auth.%s: set it in the app_auth block or the %s environment variable.",
					missing.name, missing.env))
		}
	}
	if diags.HasError() {
		return nil
	}
	installationID, err := strconv.ParseInt(installation, 10, 64)
	if err != nil || installationID < 1 {
		diags.AddAttributeError(path.Root("app_auth").AtName("installation_id"), "Invalid GitHub App Installation ID",
			fmt.Sprintf("The installation id %q (from app_auth.installation_id or %s) must be a positive number.", installation, envAppInstallationID))
		return nil
	}
	key, err := loadAppKey(pemValue)
	if err != nil {
		diags.AddAttributeError(path.Root("app_auth").AtName("pem_file"), "Invalid GitHub App Private Key",
			err.Error()+" (from app_auth.pem_file or "+envAppPEMFile+")")
		return nil
	}
	return &client.AppAuth{AppID: id, InstallationID: installationID, PrivateKeyPEM: key}
}

// appKeyExpected says what pem_file takes, for errors that cannot show the value.
const appKeyExpected = "pem_file takes the private key GitHub generated for the app, as PEM text starting with the line " +
	"\"-----BEGIN RSA PRIVATE KEY-----\" (for example file(\"app.pem\")), or the path of that .pem file"

// loadAppKey takes PEM text as it is, or reads a path. The value is named in
// an error only when it is clearly a short path: anything else may be key
// material, given without its PEM lines or with them in lower case.
func loadAppKey(value string) ([]byte, error) {
	if strings.Contains(value, "-----BEGIN") {
		// The client reads the key, and names what is wrong with it without
		// showing any of it.
		return []byte(value), nil
	}
	if strings.Contains(strings.ToUpper(value), "-----BEGIN") {
		return nil, errors.New("the GitHub App private key has PEM lines in lower case (it is not shown here); " +
			appKeyExpected + ", with its BEGIN and END lines in upper case")
	}
	key, err := os.ReadFile(value)
	if err != nil {
		if !plainPath(value) {
			return nil, errors.New("the GitHub App private key is neither PEM text nor the path of a readable file (it is not shown here, " +
				"as it may be key material); " + appKeyExpected + ". A key in base64 without its BEGIN and END lines must get them back")
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("the GitHub App private key file %q cannot be read: %v; %s", value, err, appKeyExpected)
	}
	if block, _ := pem.Decode(key); block == nil {
		file := "the file given"
		if plainPath(value) {
			file = fmt.Sprintf("the file %q", value)
		}
		return nil, fmt.Errorf("%s holds no PEM block; it should be the private key GitHub generated for the app", file)
	}
	return key, nil
}

// plainPath reports whether value is clearly a file path and nothing that
// could be key material: shorter than any RSA key in base64, on one line,
// and without base64's '+' and '=' or its long runs of letters and digits.
func plainPath(value string) bool {
	if value == "" || len(value) > 255 || strings.ContainsAny(value, "+=") ||
		strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return false
	}
	run := 0
	for _, r := range value {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if run++; run >= 40 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

// caCertificates returns the extra CA certificates from ca_cert_pem,
// ca_cert_file or its environment variable; nil when there are none.
func caCertificates(cfg providerModel, getenv func(string) string, diags *diag.Diagnostics) []byte {
	if known(cfg.CACertPEM) {
		return []byte(cfg.CACertPEM.ValueString())
	}
	file := firstNonEmpty(cfg.CACertFile.ValueString(), getenv(envCACertFile))
	if file == "" {
		return nil
	}
	certs, err := readCACertFile(file)
	if err != nil {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA Certificate File", err.Error()+" (from ca_cert_file or "+envCACertFile+")")
	}
	return certs
}

func readCACertFile(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("the CA certificate file %q cannot be read: %v", file, err)
	}
	if err := checkPEMCertificates(b); err != nil {
		return nil, fmt.Errorf("the CA certificate file %q %s", file, err)
	}
	return b, nil
}

// checkPEMCertificates accepts PEM text that holds at least one certificate
// and nothing that fails to parse as one.
func checkPEMCertificates(b []byte) error {
	n := 0
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return fmt.Errorf("holds a certificate that cannot be parsed: %v", err)
		}
		n++
	}
	if n == 0 {
		return errors.New("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
	}
	return nil
}

// durationValidator accepts Go durations such as "90s" or "5m" that are not negative.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a duration such as \"90s\" or \"5m\", not negative"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%s %s; got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// apiLogger writes the client's request and wait logs through tflog, with
// the token masked in case any field ever carried it.
type apiLogger struct{ token string }

func newAPILogger(token string) *apiLogger { return &apiLogger{token: token} }

func (l *apiLogger) mask(ctx context.Context) context.Context {
	if l.token == "" {
		return ctx
	}
	return tflog.MaskAllFieldValuesStrings(tflog.MaskMessageStrings(ctx, l.token), l.token)
}

func (l *apiLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l *apiLogger) Info(ctx context.Context, msg string, fields map[string]any) {
	tflog.Info(l.mask(ctx), msg, fields)
}

func (l *apiLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.mask(ctx), msg, fields)
}
