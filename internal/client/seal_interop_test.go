package client

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

// The vectors come from libsodium through PyNaCl; scripts/sealedbox-vectors.py
// writes them. They prove both directions without Python at test time.
const sealedBoxVectorsFile = "testdata/sealedbox_vectors.json"

type sealedBoxVectors struct {
	Recipient struct {
		PublicKey string `json:"public_key"`
		SecretKey string `json:"secret_key"`
	} `json:"recipient"`
	Plaintexts []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"plaintexts"`
	Sealed []struct {
		Plaintext string `json:"plaintext"`
		Sealed    string `json:"sealed"`
	} `json:"sealed"`
	Deterministic []struct {
		Plaintext          string `json:"plaintext"`
		EphemeralKey       string `json:"ephemeral_key"`
		EphemeralSecretKey string `json:"ephemeral_secret_key"`
		Sealed             string `json:"sealed"`
	} `json:"deterministic"`
}

// loadSealedBoxVectors reads the vectors and returns them with the recipient
// key pair and the plaintexts by name.
func loadSealedBoxVectors(t *testing.T) (v sealedBoxVectors, pub, priv *[32]byte, plaintexts map[string][]byte) {
	t.Helper()
	raw, err := os.ReadFile(sealedBoxVectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", sealedBoxVectorsFile, err)
	}
	pub, priv = mustKey(t, v.Recipient.PublicKey), mustKey(t, v.Recipient.SecretKey)
	plaintexts = make(map[string][]byte, len(v.Plaintexts))
	for _, p := range v.Plaintexts {
		plaintexts[p.Name] = mustBase64(t, p.Value)
	}
	// Guard against a regenerated file that silently lost its cases.
	for _, name := range []string{"empty", "one byte", "unicode", "48 KB"} {
		if _, ok := plaintexts[name]; !ok {
			t.Fatalf("%s has no plaintext %q", sealedBoxVectorsFile, name)
		}
	}
	if len(v.Sealed) < len(plaintexts) || len(v.Deterministic) < len(plaintexts) {
		t.Fatalf("%s has %d sealed and %d deterministic vectors for %d plaintexts",
			sealedBoxVectorsFile, len(v.Sealed), len(v.Deterministic), len(plaintexts))
	}
	return v, pub, priv, plaintexts
}

func mustBase64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("vector is not standard base64: %v", err)
	}
	return b
}

func mustKey(t *testing.T, s string) *[32]byte {
	t.Helper()
	b := mustBase64(t, s)
	if len(b) != 32 {
		t.Fatalf("key is %d bytes, want 32", len(b))
	}
	return (*[32]byte)(b)
}

// TestOpenLibsodiumSealedBoxes opens what libsodium's crypto_box_seal made.
func TestOpenLibsodiumSealedBoxes(t *testing.T) {
	t.Parallel()
	v, pub, priv, plaintexts := loadSealedBoxVectors(t)
	for _, tc := range v.Sealed {
		t.Run(tc.Plaintext, func(t *testing.T) {
			t.Parallel()
			want, ok := plaintexts[tc.Plaintext]
			if !ok {
				t.Fatalf("no plaintext %q", tc.Plaintext)
			}
			got, ok := box.OpenAnonymous(nil, mustBase64(t, tc.Sealed), pub, priv)
			if !ok {
				t.Fatal("libsodium's sealed box does not open")
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("opened %d bytes that differ from the %d-byte plaintext", len(got), len(want))
			}
		})
	}
}

// TestSealMatchesLibsodiumBytes seals with a fixed ephemeral key and
// compares the result with libsodium's, byte for byte.
func TestSealMatchesLibsodiumBytes(t *testing.T) {
	t.Parallel()
	v, _, _, plaintexts := loadSealedBoxVectors(t)
	for _, tc := range v.Deterministic {
		t.Run(tc.Plaintext+"/"+tc.EphemeralKey, func(t *testing.T) {
			t.Parallel()
			plaintext, ok := plaintexts[tc.Plaintext]
			if !ok {
				t.Fatalf("no plaintext %q", tc.Plaintext)
			}
			esk := mustBase64(t, tc.EphemeralSecretKey)
			got, err := sealWith(bytes.NewReader(esk), v.Recipient.PublicKey, plaintext)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.Sealed {
				t.Fatalf("sealed bytes differ from libsodium's (%d vs %d base64 characters)", len(got), len(tc.Sealed))
			}
		})
	}
}

// pythonWithNaCl is Debian's python, which has PyNaCl when python3-nacl is
// installed; a python earlier on PATH may not.
const pythonWithNaCl = "/usr/bin/python3"

// naclScript opens or seals a batch read from stdin, so no value or key ever
// appears in argv.
const naclScript = `
import base64, json, sys
from nacl.public import PrivateKey, PublicKey, SealedBox
req = json.load(sys.stdin)
d, e = base64.b64decode, lambda b: base64.b64encode(b).decode("ascii")
if req["op"] == "open":
    sb = SealedBox(PrivateKey(d(req["key"])))
    out = [e(sb.decrypt(d(x))) for x in req["items"]]
else:
    sb = SealedBox(PublicKey(d(req["key"])))
    out = [e(sb.encrypt(d(x))) for x in req["items"]]
json.dump(out, sys.stdout)
`

// requireLibsodium skips the test when PyNaCl is missing, unless
// GHSECRETS_REQUIRE_LIBSODIUM=1 says it must be there.
func requireLibsodium(t *testing.T) {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), pythonWithNaCl, "-I", "-c", "import nacl.public").CombinedOutput()
	if err == nil {
		return
	}
	msg := "libsodium through " + pythonWithNaCl + " is unavailable (install the Debian package python3-nacl): " +
		strings.TrimSpace(err.Error()+" "+string(out))
	if os.Getenv("GHSECRETS_REQUIRE_LIBSODIUM") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// runNaCl runs naclScript on items with key and returns its answers.
func runNaCl(t *testing.T, op string, key []byte, items [][]byte) [][]byte {
	t.Helper()
	req := map[string]any{"op": op, "key": key, "items": items} // []byte marshals as base64
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), pythonWithNaCl, "-I", "-c", naclScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python %s: %v\n%s", op, err, stderr.String())
	}
	var answers [][]byte
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("python %s: decoding its answer: %v", op, err)
	}
	if len(answers) != len(items) {
		t.Fatalf("python %s: %d answers for %d items", op, len(answers), len(items))
	}
	return answers
}

func interopPlaintexts() [][]byte {
	return [][]byte{
		{},
		[]byte("x"),
		[]byte("pâsswörd ✓ 🔑 秘密"),
		bytes.Repeat([]byte("0123456789abcdef"), 48*1024/16),
	}
}

// TestSealInteropWithLibsodium checks both directions against a live
// libsodium: Go seals and PyNaCl opens, PyNaCl seals and Go opens.
func TestSealInteropWithLibsodium(t *testing.T) {
	t.Parallel()
	requireLibsodium(t)
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubB64 := base64.StdEncoding.EncodeToString(pub[:])
	plaintexts := interopPlaintexts()

	t.Run("go seals, libsodium opens", func(t *testing.T) {
		t.Parallel()
		sealed := make([][]byte, len(plaintexts))
		for i, p := range plaintexts {
			s, err := Seal(pubB64, p)
			if err != nil {
				t.Fatal(err)
			}
			sealed[i] = mustBase64(t, s)
		}
		for i, got := range runNaCl(t, "open", priv[:], sealed) {
			if !bytes.Equal(got, plaintexts[i]) {
				t.Errorf("item %d: libsodium opened %d bytes that differ from the %d-byte plaintext", i, len(got), len(plaintexts[i]))
			}
		}
	})
	t.Run("libsodium seals, go opens", func(t *testing.T) {
		t.Parallel()
		for i, sealed := range runNaCl(t, "seal", pub[:], plaintexts) {
			got, ok := box.OpenAnonymous(nil, sealed, pub, priv)
			if !ok {
				t.Errorf("item %d: libsodium's sealed box does not open", i)
				continue
			}
			if !bytes.Equal(got, plaintexts[i]) {
				t.Errorf("item %d: opened %d bytes that differ from the %d-byte plaintext", i, len(got), len(plaintexts[i]))
			}
		}
	})
}
