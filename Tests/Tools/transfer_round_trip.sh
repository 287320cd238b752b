#!/bin/sh
# Times a transfer of a pupil with 500 entries (40 concerns logged with the binary, 460 notes and
# contacts written straight into the file, every twentieth amended): `transfer out` at one
# school, `transfer in` at another, each run of the binary timed whole, and the bundle's size.
# Usage: Tests/Tools/transfer_round_trip.sh .build/release/cairn
set -e
C=$(realpath "$1"); D=$(mktemp -d); cd "$D"
$C init --school "Elmfield Academy" --dsl-name "Jo Bloggs" --db a.sqlite >/dev/null
$C init --school "Oakfield School" --dsl-name "Ada Okafor" --db b.sqlite >/dev/null
printf 'UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group\nX999400115001,Thorne,Ellis,Elly,02/11/2012,Year 8,8TH\n' > r.csv
$C pupils import r.csv --db a.sqlite >/dev/null
for i in $(seq 1 40); do
  $C concern log --pupil X999400115001 --category neglect --category bullying --nature seen \
     --text "Concern $i: arrived without a coat and said the heating is off at home; quiet all morning." \
     --child-words "Mum says we can't put it on." --db a.sqlite >/dev/null
done
python3 - <<'PY'
import sqlite3, json
db = sqlite3.connect("a.sqlite")
user = db.execute("SELECT username FROM staff").fetchone()[0]
pupil = db.execute("SELECT id FROM pupils").fetchone()[0]
body = ("Spoke with Elly at break about how things are at home. She said her mum is working nights and "
        "she gets her brother ready for school. Agreed to check in weekly; will share with the DSL. ") * 2
start = 1_740_000_000_000
for n in range(460):
    t = start + n * 86_400_000 // 3
    db.execute("""INSERT INTO chronology_entries (pupil_id, occurred_at, recorded_at, kind, summary, author, nature,
                  significant, restricted, headline, body, details) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
               (pupil, t, t + 600_000, "contact" if n % 3 else "note", f"Check-in {n}: " + body[:60], user,
                ["seen", "reported", "opinion", "disclosed"][n % 4], n % 7 == 0, n % 11 == 0, None, body,
                json.dumps([["Who", "Elly"], ["How", "In person"]])))
    if n % 20 == 0:
        entry = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        db.execute("INSERT INTO entry_amendments (entry_id, previous_text, new_text, reason, by, at) VALUES (?,?,?,?,?,?)",
                   (entry, body, body.replace("weekly", "fortnightly"), "Agreed fortnightly, not weekly", user, t + 3_600_000))
db.commit()
print("entries:", db.execute("SELECT count(*) FROM chronology_entries").fetchone()[0])
PY
echo "correct horse battery staple" > pass
t0=$(date +%s.%N)
$C transfer out X999400115001 --to "Oakfield School" --out elly.ctf --passphrase-file pass --db a.sqlite | head -1
t1=$(date +%s.%N)
$C transfer in elly.ctf --passphrase-file pass --yes --db b.sqlite | grep Imported
t2=$(date +%s.%N)
echo "out: $(echo "$t1 - $t0" | bc) s   in: $(echo "$t2 - $t1" | bc) s   bundle: $(stat -c %s elly.ctf) bytes"
rm -rf "$D"
