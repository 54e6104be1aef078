// Package bomb makes hostile archives for tests: OOXML packages (XLSX,
// DOCX) with a part that inflates to a gigabyte of zeros.
package bomb

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"sync"
)

// Size is what a bomb's part inflates to: 1 GB.
const Size = 1 << 30

// zeros is Size zero bytes deflated (about 1.3 MB), made once.
var zeros = sync.OnceValues(func() ([]byte, uint32) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	zero := make([]byte, 1<<20)
	h := crc32.NewIEEE()
	for range Size >> 20 {
		fw.Write(zero)
		h.Write(zero)
	}
	fw.Close()
	return buf.Bytes(), h.Sum32()
})

// OOXML returns a ZIP archive with a small main part (unless part is the
// main part) and part, whose data inflates to Size zero bytes while the
// archive declares it as declared bytes (Size to be honest, less to lie).
func OOXML(main, part string, declared uint64) ([]byte, error) {
	comp, crc := zeros()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if main != part {
		w, err := zw.Create(main)
		if err != nil {
			return nil, err
		}
		io.WriteString(w, `<?xml version="1.0"?><x/>`)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(len(comp)),
		UncompressedSize64: declared})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(comp); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
