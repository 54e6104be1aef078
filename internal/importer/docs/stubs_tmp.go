package docs

func flattenDOCX(b []byte) ([]srcLine, [][][]string, error) { return nil, nil, nil }
func flattenHTML(b []byte) ([]srcLine, [][][]string, error) { return nil, nil, nil }
func flattenPDF(b []byte) ([]srcLine, error)                { return nil, nil }
