// Package bomb makes hostile archives for tests: OOXML packages (XLSX,
// DOCX) with a part that inflates to a gigabyte of zeros, and PDFs whose
// content stream does.
package bomb

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
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

// PDF returns a one-page PDF whose content stream inflates to size zero
// bytes (size a multiple of 1 MB). nested compresses the stream twice
// (/Filter [/FlateDecode /FlateDecode]), so that one inflation shows only
// the inner compressed stream.
func PDF(size int, nested bool) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zero := make([]byte, 1<<20)
	for range size >> 20 {
		zw.Write(zero)
	}
	zw.Close()
	stream, filter := z.Bytes(), "/FlateDecode"
	if nested {
		var zz bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&zz, zlib.BestCompression)
		zw.Write(stream)
		zw.Close()
		stream, filter = zz.Bytes(), "[/FlateDecode /FlateDecode]"
	}
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
	obj(fmt.Sprintf("<< /Length %d /Filter %s >>\nstream\n%s\nendstream", len(stream), filter, stream))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
