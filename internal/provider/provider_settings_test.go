package provider

import (
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

// TestAppKeyNotEchoed gives pem_file what users paste by mistake:
// the key in base64 without its PEM lines, with lower-case PEM lines, cut
// short. None may be taken for a path and quoted in the error; the error
// says what was expected instead. A short path is still named, so a typo in
// it can be seen.
// (Its name is short so that its temporary directories count as short paths.)
func TestAppKeyNotEchoed(t *testing.T) {
	t.Parallel()
	_, keyPEM := fakegithub.NewAppKey()
	block, _ := pem.Decode(keyPEM)
	der := base64.StdEncoding.EncodeToString(block.Bytes)
	lines := strings.TrimSpace(string(keyPEM[strings.Index(string(keyPEM), "\n")+1 : strings.LastIndex(strings.TrimSpace(string(keyPEM)), "\n")]))
	lowerArmour := strings.ToLower(string(keyPEM[:strings.Index(string(keyPEM), "\n")])) + "\n" + lines + "\n-----end rsa private key-----\n"

	for name, value := range map[string]string{
		"base64 on one line":           der,
		"base64 in lines":              lines,
		"lower-case PEM lines":         lowerArmour,
		"base64 of the whole PEM text": base64.StdEncoding.EncodeToString(keyPEM),
	} {
		_, err := loadAppKey(value)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		msg := err.Error()
		echoed := false
		for i := 0; i+12 <= len(value) && !echoed; i++ {
			// Windows of the key's base64, not of its PEM lines' words.
			if w := value[i : i+12]; strings.Trim(w, base64Alphabet) == "" && strings.Contains(msg, w) {
				// The message itself would show the key: name the offset only.
				t.Errorf("%s: the error repeats 12 characters of the value at offset %d", name, i)
				echoed = true
			}
		}
		if !echoed && !strings.Contains(msg, "-----BEGIN RSA PRIVATE KEY-----") {
			t.Errorf("%s: the error does not say what was expected: %s", name, msg)
		}
	}

	missing := filepath.Join(t.TempDir(), "keys", "app.private-key.pem")
	if _, err := loadAppKey(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing short path: error %v, want it to name the path", err)
	}
	notPEM := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(notPEM, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadAppKey(notPEM); err == nil || !strings.Contains(err.Error(), notPEM) {
		t.Errorf("a file without PEM: error %v, want it to name the path", err)
	}
	if got, err := loadAppKey(string(keyPEM)); err != nil || string(got) != string(keyPEM) {
		t.Errorf("PEM text: %v", err)
	}
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := loadAppKey(keyFile); err != nil || string(got) != string(keyPEM) {
		t.Errorf("a key file: %v", err)
	}
}
