"""Word lists of the funded-project demo (German, English), combined by seeded generators."""

DELIVERED = (
    ("Die Version {n} ist veröffentlicht: Import, Validierung und Export laufen stabil.",
     "Version {n} is released: import, validation and export run reliably."),
    ("Die Dokumentation für Verwaltungen ist fertig, mit Anleitung zur Installation.",
     "The documentation for public administrations is done, with an installation guide."),
    ("Zwei Pilotkommunen nutzen den Prototyp im Testbetrieb.",
     "Two pilot municipalities use the prototype in a test run."),
    ("Die Schnittstelle ist beschrieben (OpenAPI) und mit Tests abgedeckt.",
     "The API is described (OpenAPI) and covered by tests."),
    ("Ein externer Sicherheitstest wurde durchgeführt; alle Befunde sind behoben.",
     "An external security review took place; all findings are fixed."),
    ("Die Daten sind als offener Datensatz mit Metadaten veröffentlicht.",
     "The data is published as an open dataset with metadata."),
)  # fmt: skip
PROBLEMS = (
    ("Eine Partnerkommune hat ihre Daten später geliefert als geplant.",
     "A partner municipality delivered its data later than planned."),
    ("Die Barrierefreiheitsprüfung hat mehr Zeit gebraucht; dafür ist die Oberfläche jetzt WCAG-konform.",
     "The accessibility review took longer; the interface now meets WCAG."),
    ("", ""),
    ("", ""),
)  # fmt: skip
PUBLIC_BODIES = (
    ("Stadt Ulm", "municipal"),
    ("Landeshauptstadt München", "municipal"),
    ("Senatsverwaltung für Finanzen Berlin", "state"),
    ("Kreis Nordfriesland", "municipal"),
    ("Landesamt für Statistik Niedersachsen", "state"),
    ("Bundesamt für Sicherheit in der Informationstechnik", "federal"),
    ("Stadt Wien", "foreign"),
    ("Gemeente Amsterdam", "foreign"),
    ("Freie und Hansestadt Hamburg", "state"),
    ("Stadt Leipzig", "municipal"),
)
COLLABORATION_NOTES = (
    ("Nutzt das Werkzeug im Bürgerservice.", "Uses the tool in its citizen service."),
    ("Hat den Code für das eigene Portal übernommen.", "Forked the code for its own portal."),
    ("Stellt Testdaten bereit und berät.", "Provides test data and advice."),
)  # fmt: skip
CHANGE_REASONS = (
    ("Die Partnerkommune liefert die Testdaten erst im nächsten Monat.",
     "The partner municipality delivers the test data only next month."),
    ("Ein Teammitglied war mehrere Wochen krank.",
     "A team member was ill for several weeks."),
    ("Die Sicherheitsprüfung soll vor der Veröffentlichung stattfinden.",
     "The security review should take place before the release."),
)  # fmt: skip
CHANGES_REQUESTED = (
    "Bitte verlinken Sie das Release und ergänzen Sie die Lizenz des Datensatzes.",
    "Bitte beschreiben Sie genauer, was die Pilotkommunen getestet haben.",
    "Der Link zum Repository führt ins Leere; bitte prüfen.",
)
DECLINE_NOTES = (
    ("Ich habe eine feste Stelle angenommen und kann das Projekt nicht durchführen.",
     "I accepted a permanent position and cannot carry out the project."),
)  # fmt: skip
TERMINATION_REASON = (
    "Das Team hat das Projekt aufgegeben; zwei Meilensteine blieben trotz Nachfristen aus. "
    "Bereits freigegebene Zahlungen werden ausgezahlt."
)
FINAL_SUMMARY = (
    ("Der Prototyp ist fertig, dokumentiert und in drei Kommunen im Einsatz.",
     "The prototype is finished, documented and in use in three municipalities."),
    ("Alle Meilensteine wurden erreicht; der Code ist unter einer offenen Lizenz veröffentlicht.",
     "All milestones were reached; the code is published under an open licence."),
)  # fmt: skip
FINAL_CONTRIBUTION = (
    ("Offene Fahrplandaten für Kommunen ohne eigene IT-Abteilung.",
     "Open timetable data for municipalities without an IT department."),
    ("Ein wiederverwendbares Werkzeug, mit dem Verwaltungen Datensätze prüfen.",
     "A reusable tool with which administrations check their datasets."),
)  # fmt: skip
NEXT_STEPS = (
    ("Weiterentwicklung mit einer Landesförderung; Wartung durch die Community.",
     "Further development with funding from a federal state; maintenance by the community."),
    ("Übergabe an eine kommunale IT-Genossenschaft.",
     "Hand-over to a municipal IT cooperative."),
)  # fmt: skip
FOLLOW_UP_FUNDERS = ("Landesförderung Digitales", "Stiftung Mercator", "EU Horizon", "")
# The fund's agreement conditions (Zuwendungsvertrag), as staff wrote them: one per paragraph.
AGREEMENT_TERMS_DE = """Die Zuwendung wird ausschließlich für das im Antrag beschriebene Projekt und innerhalb des Förderzeitraums verwendet.

Der Fonds zahlt die Zuwendung in Raten: Der Betrag eines Meilensteins wird freigegeben, wenn das Programmteam dessen Bericht angenommen hat, und auf das unten genannte Konto überwiesen.

Zu jedem Meilenstein berichten Sie bis zu seinem Fälligkeitsdatum: was geliefert wurde, Links zu Code, Releases und Daten sowie die erfragten Wirkungsindikatoren. Code wird unter der im Antrag genannten offenen Lizenz veröffentlicht, Daten unter einer offenen Lizenz.

Änderungen von Fälligkeitsdaten, des Projektendes oder der Aufteilung der Beträge auf die Meilensteine bedürfen eines Änderungsantrags, den das Programmteam annimmt oder ablehnt.

Einen Monat nach dem Ende des Förderzeitraums sind der Schlussbericht und der Verwendungsnachweis fällig: die tatsächlichen Stunden und Kosten je Person und Kostenart gegenüber dem Plan, eine Belegliste und der Eigenanteil. Belege sind zehn Jahre aufzubewahren.

Der Fonds kann die Zuwendung aus wichtigem Grund beenden; Meilensteine ohne angenommenen Bericht werden dann nicht gezahlt."""
AGREEMENT_TERMS_EN = """The grant is used only for the project described in the application and within the funding period.

The fund pays the grant in instalments: each milestone's amount is released when the programme staff accept its report, and transferred to the account named below.

You report on each milestone by its due date: what was delivered, links to code, releases and data, and the outcome indicators asked for. Code is published under the open licence named in the application, data under an open licence.

Changes to due dates, the end of the period or the split of the amounts between milestones need a change request, which the programme staff approve or refuse.

The final report and the proof of use are due one month after the funding period ends: the actual hours and costs per person and budget category against the plan, a list of receipts and the own contribution. Receipts are kept for ten years.

The fund may terminate the grant for good cause; milestones without an accepted report are then not paid."""
ROLES = (("Entwicklung", "Development"), ("Design und Dokumentation", "Design and documentation"))
RECEIPTS = (
    ("Hetzner Online GmbH", ("Server für Test und Betrieb", "Servers for testing and operation"), "480.00"),
    ("Prototype Workshop e. V.", ("Nutzertest mit zwei Kommunen", "User test with two municipalities"), "650.00"),
)  # fmt: skip
OTHER_COSTS_REASON = (
    "Server und ein Nutzertest waren nicht geplant; wir haben sie aus dem Eigenanteil bezahlt.",
    "Servers and a user test were not planned; we paid them from our own contribution.",
)

# The note finance keeps when confirming a grantee's account (staff write German).
ACCOUNT_CONFIRMED = (
    "Rückruf unter der Telefonnummer aus dem Antrag; die geförderte Person hat IBAN und "
    "Kontoinhaber vorgelesen, beides stimmt."
)
