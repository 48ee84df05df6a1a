package client

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/nacl/box"
)

// newTestKey returns a curve25519 key pair with the public half in base64,
// as GitHub serves it.
func newTestKey(t testing.TB) (pubB64 string, pub, priv *[32]byte) {
	t.Helper()
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(pub[:]), pub, priv
}

// openSealed opens a base64 sealed box, as GitHub does on its side.
func openSealed(t testing.TB, sealedB64 string, pub, priv *[32]byte) ([]byte, bool) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(sealedB64)
	if err != nil {
		t.Fatalf("ciphertext is not standard base64: %v", err)
	}
	return box.OpenAnonymous(nil, raw, pub, priv)
}

func TestSealRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{name: "empty", plaintext: []byte{}},
		{name: "short", plaintext: []byte("s3cr3t")},
		{name: "binary", plaintext: []byte{0, 1, 2, 0xff, '\n'}},
		{name: "48 KiB", plaintext: bytes.Repeat([]byte("x"), 48<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pubB64, pub, priv := newTestKey(t)
			sealed, err := Seal(pubB64, tt.plaintext)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			got, ok := openSealed(t, sealed, pub, priv)
			if !ok {
				t.Fatal("OpenAnonymous failed")
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Fatalf("round trip = %q, want %q", got, tt.plaintext)
			}
			_, _, otherPriv := newTestKey(t)
			if _, ok := openSealed(t, sealed, pub, otherPriv); ok {
				t.Fatal("opened with the wrong private key")
			}
			again, _ := Seal(pubB64, tt.plaintext)
			if again == sealed {
				t.Fatal("two seals are identical; the ephemeral key is not random")
			}
		})
	}
}

func TestSealBadKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		key     string
		wantErr string
	}{
		{name: "empty", key: "", wantErr: "0 bytes, want 32"},
		{name: "not base64", key: "not base64!", wantErr: "not valid standard base64"},
		{name: "url base64", key: strings.Repeat("_", 43) + "=", wantErr: "not valid standard base64"},
		{name: "too short", key: base64.StdEncoding.EncodeToString(make([]byte, 16)), wantErr: "16 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Seal(tt.key, []byte("PLAINTEXT-MARKER"))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Seal error = %v, want containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "PLAINTEXT-MARKER") {
				t.Fatalf("error contains the plaintext: %q", err)
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	pubB64, _, _ := newTestKey(b)
	plaintext := bytes.Repeat([]byte("a"), 4<<10)
	b.ReportAllocs()
	b.SetBytes(int64(len(plaintext)))
	for b.Loop() {
		if _, err := Seal(pubB64, plaintext); err != nil {
			b.Fatal(err)
		}
	}
}
