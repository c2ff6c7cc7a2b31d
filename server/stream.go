package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// frameStream is the LSP base protocol (Content-Length framed JSON) as a
// jsonrpc2.ObjectStream. It replaces jsonrpc2's own codec because that one
// closes the whole connection on a single malformed message; here a frame
// whose body is not valid JSON (or not a JSON-RPC message) is answered with
// a JSON-RPC error and the server keeps reading. Header names are matched
// case-insensitively.
type frameStream struct {
	r       *bufio.Reader
	w       io.Writer
	closer  io.Closer
	writeMu sync.Mutex
	logf    func(format string, args ...any)
}

func newFrameStream(r io.Reader, w io.Writer, c io.Closer, logf func(string, ...any)) *frameStream {
	return &frameStream{r: bufio.NewReaderSize(r, 64<<10), w: w, closer: c, logf: logf}
}

// maxFrame bounds one message; a 50 MB document is already far beyond what
// an editor sends.
const maxFrame = 256 << 20

func (s *frameStream) ReadObject(v any) error {
	for {
		body, err := s.readFrame()
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, v); err != nil {
			code, msg := -32600, "invalid JSON-RPC message: "+err.Error()
			if !json.Valid(body) {
				code, msg = -32700, "parse error: the message body is not valid JSON"
			}
			s.logf("dropping malformed message (%d bytes): %s", len(body), msg)
			if werr := s.WriteObject(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{"code": code, "message": msg}}); werr != nil {
				return werr
			}
			continue
		}
		return nil
	}
}

func (s *frameStream) readFrame() ([]byte, error) {
	length := -1
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if length >= 0 {
				break
			}
			continue // stray blank line between frames
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 || n > maxFrame {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

func (s *frameStream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := fmt.Fprintf(s.w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	_, err = s.w.Write(data)
	return err
}

func (s *frameStream) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
