package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks/hub"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir and returns their paths.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "hubaudit e2e hub"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestRealHubProbeTLS serves the real hub over HTTPS with a self-signed
// certificate: the probe refuses it, trusts it with CACert, and accepts it
// with Insecure (which the facts record).
func TestRealHubProbeTLS(t *testing.T) {
	tools := RequireTools(t)
	certDir := t.TempDir()
	cert, key := selfSigned(t, certDir)
	d := NewDeployment(t, tools, DeployOptions{TLSCert: cert, TLSKey: key})
	token := d.NewToken(t, d.Admin)
	d.Start(t)
	defer d.Stop(t)
	if !strings.HasPrefix(d.URL(), "https://") {
		t.Fatalf("URL %s", d.URL())
	}

	ctx := context.Background()
	got, err := hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if got.Reachable || len(got.Errors) == 0 || !strings.Contains(got.Errors[0], "certificate") {
		t.Fatalf("untrusted self-signed hub: %+v", got)
	}

	got, err = hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token, CACert: cert})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Reachable || !got.Healthy || got.Version != "3.0.0" || got.Users == nil || *got.Users != 1 || got.TLSInsecure {
		t.Fatalf("with --ca-cert: %+v", got)
	}

	got, err = hub.Collect(ctx, hub.Options{URL: d.URL(), Token: token, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Reachable || !got.TLSInsecure || got.Users == nil || *got.Users != 1 {
		t.Fatalf("with --insecure: %+v", got)
	}
}
