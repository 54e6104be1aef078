package synth

// Name components. All are common Azerbaijani names written in
// Azerbaijani Latin, most common first; the generator draws them with a
// Zipf-like weight so that common surnames (Məmmədov, Əliyev) repeat the
// way they do in real lists. People are combined at random: any
// resemblance to a real prisoner is a coincidence of common names.

// surnameRoots are the stems surnames are built from (Məmməd → Məmmədov,
// Məmmədli, Məmmədzadə).
var surnameRoots = []string{
	"Məmməd", "Əli", "Həsən", "Hüseyn", "Quli", "İsmayıl", "Cəfər", "Qasım", "İbrahim", "Abbas",
	"Rəhim", "Kərim", "Mehdi", "Hacı", "Oruc", "Bayram", "Murad", "Nəcəf", "Rza", "Heydər",
	"Süleyman", "Əhməd", "Musa", "İsa", "Baba", "Novruz", "Qurban", "Sadıq", "Səməd", "Vəli",
	"Əsəd", "Əkbər", "Xəlil", "Rəsul", "Yusif", "Zeynal", "Mustafa", "Cavad", "Salman", "Ağa",
	"Tağı", "Nağı", "Məhərrəm", "Əsgər", "Allahverdi", "Hümbət", "Qənbər", "Mirzə", "Pənah", "Bağır",
	"Sultan", "Talıb", "İmran", "Şükür", "Rəcəb", "Qəhrəman", "Aslan", "Həşim", "Səfər", "Bəşir",
	"Fətəli", "Qafar", "Kazım", "Əmir", "Zahid", "Şahbaz", "Yaqub", "Muxtar", "Qədir", "Nəbi",
	"Əhəd", "Camal", "Kamal", "İsgəndər", "Həmid", "Vahid", "Şirin", "Əzim", "Ələsgər", "Mahmud",
	"Rüstəm", "Məlik", "Tahir", "Hidayət", "Əbil", "İlyas", "Sabir", "Paşa", "Qələndər", "Nəsib",
	"Hətəm", "Cabbar", "Dadaş", "Eyvaz", "Fərhad", "Qaraş", "Xanlar", "Məmmədəli", "Bəkir", "Şəfi",
}

// maleGiven are men's given names; fathers' names come from the same list.
var maleGiven = []string{
	"Əli", "Məmməd", "Həsən", "Hüseyn", "Elçin", "Elşən", "Rəşad", "Tofiq", "İlqar", "Anar",
	"Orxan", "Tural", "Rüfət", "Vüqar", "Ramil", "Rauf", "Elnur", "Emin", "Kamran", "Ceyhun",
	"Fuad", "Nicat", "Ülvi", "Bəxtiyar", "Səbuhi", "Zaur", "Namiq", "Niyaməddin", "Fərid", "Cavid",
	"Xəyal", "Əfqan", "Elvin", "Mübariz", "Samir", "Şahin", "Rövşən", "Vüsal", "Kənan", "Azər",
	"Aqil", "Babək", "Bəhruz", "Cəlal", "Eldar", "Elxan", "Etibar", "Fəxrəddin", "Habil", "İbrahim",
	"İlham", "Mahir", "Natiq", "Oqtay", "Pərviz", "Qabil", "Ramiz", "Rasim", "Sənan", "Seymur",
	"Taleh", "Toğrul", "Vaqif", "Yaşar", "Zahid", "Ziya", "Abid", "Qasım", "Cəfər", "Murad",
	"Tahir", "Teymur", "Əkrəm", "Müşfiq", "Heydər", "Rəhim", "Mehdi", "Hafiz", "Hikmət", "Ələkbər",
	"Ələsgər", "Rüstəm", "Şəhriyar", "Qubad", "Mehman", "Pünhan", "İntiqam", "Əhməd", "Kərim", "Yusif",
	"Nəsimi", "Arif", "Valeh", "Akif", "Adil", "Vasif", "Sadiq", "Sahib", "Fikrət", "Novruz",
	"Zakir", "Rafiq", "Şükür", "Ayaz", "İsmayıl", "Əziz", "Nurlan", "Elmar", "Ruslan", "Emil",
	"Rəsul", "Hacı", "Məhərrəm", "Əsgər", "Tələt", "Famil", "Vidadi", "Cahid", "Faiq", "Hümbət",
}

// femaleGiven are women's given names.
var femaleGiven = []string{
	"Xədicə", "Aynur", "Gülnarə", "Sevinc", "Nərgiz", "Elnarə", "Ülviyyə", "Aytən", "Günel", "Leyla",
	"Nigar", "Şəhla", "Aysel", "Lalə", "Könül", "Səbinə", "Fidan", "Aygün", "Məlahət", "Gülər",
	"Nərmin", "Təranə", "Zəhra", "Fatimə", "Səma", "İradə", "Arzu", "Vüsalə", "Yeganə", "Rəna",
	"Gözəl", "Elmira", "Sevda", "Ülkər", "Mehriban", "Aidə", "Kəmalə", "Samirə", "Tamilla", "Zərifə",
}
