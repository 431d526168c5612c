package env

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// maxHeaderBytes bounds how much of a METADATA / PKG-INFO file is read:
// the headers come first and the (possibly huge) description after them.
const maxHeaderBytes = 1 << 20

// distMeta is what one METADATA or PKG-INFO file says.
type distMeta struct {
	Name           string
	Version        string
	RequiresPython string
	RequiresDist   []string
}

var errNotText = errors.New("binary content, not a metadata file")

// parseMetadata reads the RFC 822 style headers of a core metadata file
// (METADATA in a .dist-info, PKG-INFO in an .egg-info) up to the first
// blank line.
func parseMetadata(r io.Reader) (distMeta, error) {
	var m distMeta
	br := bufio.NewReaderSize(io.LimitReader(r, maxHeaderBytes), 4096)
	var key, val string
	flush := func() {
		switch strings.ToLower(key) {
		case "name":
			m.Name = strings.TrimSpace(val)
		case "version":
			m.Version = strings.TrimSpace(val)
		case "requires-python":
			m.RequiresPython = strings.TrimSpace(val)
		case "requires-dist":
			m.RequiresDist = append(m.RequiresDist, strings.TrimSpace(val))
		}
		key, val = "", ""
	}
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if bytes.IndexByte(line, 0) >= 0 || !utf8.Valid(line) {
				return m, errNotText
			}
			s := strings.TrimRight(string(line), "\r\n")
			if s == "" {
				break
			}
			if s[0] == ' ' || s[0] == '\t' {
				if key != "" {
					val += " " + strings.TrimSpace(s)
				}
			} else {
				flush()
				i := strings.IndexByte(s, ':')
				if i <= 0 {
					return m, fmt.Errorf("line %d is not a header: %q", lineNo, oneLine(s))
				}
				key, val = s[:i], s[i+1:]
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, err
		}
	}
	flush()
	switch {
	case m.Name == "" && m.Version == "":
		return m, fmt.Errorf("no Name and no Version header")
	case m.Name == "":
		return m, fmt.Errorf("no Name header")
	case m.Version == "":
		return m, fmt.Errorf("no Version header")
	}
	return m, nil
}

// entryPoints is the part of an entry_points.txt file hubaudit keeps: the
// jupyterhub.* groups and the jupyter* console scripts.
type entryPoints struct {
	Groups   map[string][]string // group -> names
	Commands []string
}

// parseEntryPoints reads an INI-style entry_points.txt.
func parseEntryPoints(data []byte) (entryPoints, error) {
	var ep entryPoints
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return ep, errNotText
	}
	group := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			group = strings.TrimSpace(strings.Trim(line, "[]"))
			continue
		}
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			continue
		}
		name := strings.TrimSpace(line[:i])
		switch {
		case strings.HasPrefix(group, "jupyterhub."):
			if ep.Groups == nil {
				ep.Groups = map[string][]string{}
			}
			ep.Groups[group] = append(ep.Groups[group], name)
		case group == "console_scripts" && isJupyterCommand(name):
			ep.Commands = append(ep.Commands, name)
		}
	}
	return ep, nil
}

func isJupyterCommand(name string) bool {
	return strings.HasPrefix(name, "jupyter") || name == "configurable-http-proxy"
}

// parseRequiresTxt reads an .egg-info requires.txt: plain requirement
// lines, then sections "[extra]", "[:marker]" or "[extra:marker]". Lines of
// extra sections are skipped; marker sections keep their marker.
func parseRequiresTxt(data []byte) []string {
	var out []string
	marker, skip := "", false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			sec := strings.Trim(line, "[]")
			i := strings.IndexByte(sec, ':')
			switch {
			case i < 0:
				skip, marker = true, ""
			case i > 0:
				skip, marker = true, ""
			default:
				skip, marker = false, sec[i+1:]
			}
			continue
		}
		if skip {
			continue
		}
		if marker != "" {
			line += "; " + marker
		}
		out = append(out, line)
	}
	return out
}

// readMetadataFile opens and parses a core metadata file.
func readMetadataFile(path string) (distMeta, error) {
	f, err := os.Open(path)
	if err != nil {
		return distMeta{}, err
	}
	defer f.Close()
	return parseMetadata(f)
}
