"""Word lists for the demo data (demo/grants/). German and English variants are parallel,
so a generated project reads the same in both languages."""

from grants.states import IneligibilityReason

# ---------------------------------------------------------------------------------------
# Word lists. German and English variants are parallel, so a project reads the same in both.

NAME_PREFIXES_DE = ("Kiez", "Stadt", "Daten", "Bürger", "Rats", "Klima", "Wahl", "Schul", "Rad",
                    "Wasser", "Haushalts", "Lärm", "Pegel", "Ehrenamts", "Quell", "Verkehrs")  # fmt: skip
NAME_PREFIXES_EN = ("Open", "Civic", "Privacy", "Safe", "Commons", "Public", "Local", "Clear")
NAME_SUFFIXES = ("kompass", "lens", "werk", "radar", "box", "hub", "bot", "karte", "check",
                 "wiki", "ticker", "atlas", "guard", "log", "flow", "tool", "spur", "netz")  # fmt: skip

TAGLINES = {
    "open-data": (
        ("Offene Fahrplandaten für den ländlichen Raum", "Open timetable data for rural regions"),
        ("Haushaltsdaten der Kommunen verständlich machen", "Making municipal budget data understandable"),
        ("Ratsprotokolle durchsuchbar und maschinenlesbar", "Searchable, machine-readable council minutes"),
        ("Luftqualitätsdaten aus Bürgermessnetzen zusammenführen", "Merging air-quality data from citizen sensor networks"),
        ("Offene Geodaten für barrierefreie Wege", "Open geodata for step-free routes"),
        ("Ein offenes Register kommunaler Beschlüsse", "An open register of municipal decisions"),
        ("Pegeldaten als offene Schnittstelle", "Water-level data as an open API"),
        ("Schuldaten für Eltern vergleichbar machen", "Comparable school data for parents"),
        ("Offene Daten zu Fördermitteln und Zuwendungen", "Open data on public grants and subsidies"),
        ("Baustellen und Straßensperrungen als offener Datenstrom", "Roadworks and closures as an open data feed"),
    ),
    "civic-tech": (
        ("Beteiligungsplattform für Bürgerhaushalte", "A participation platform for participatory budgeting"),
        ("Mängelmelder für kleine Gemeinden", "Issue reporting for small municipalities"),
        ("Ehrenamtliche Einsätze einfach koordinieren", "Coordinating volunteer work made easy"),
        ("Anträge bei Behörden in einfacher Sprache", "Applying to public agencies in plain language"),
        ("Digitale Sprechstunde für Abgeordnete", "Digital office hours for members of parliament"),
        ("Nachbarschaftshilfe ohne Plattformabhängigkeit", "Neighbourhood help without platform lock-in"),
        ("Wahlprüfsteine für Kommunalwahlen", "Candidate questionnaires for local elections"),
        ("Barrierefreie Terminbuchung für Bürgerämter", "Accessible appointment booking for citizen offices"),
        ("Petitionen transparent nachverfolgen", "Tracking petitions transparently"),
        ("Werkzeuge für Mietervereine", "Tools for tenants' associations"),
    ),
    "data-security": (
        ("Verschlüsselte Formulare für Beratungsstellen", "End-to-end encrypted forms for counselling services"),
        ("Sichere Hinweisgebersysteme für kleine Organisationen", "Secure whistleblowing systems for small organisations"),
        ("Datenschutzfreundliche Webanalyse für Kommunen", "Privacy-friendly web analytics for municipalities"),
        ("Automatisierte Sicherheitsprüfung für Vereinswebseiten", "Automated security checks for association websites"),
        ("Reproduzierbare Builds für Open-Source-Pakete", "Reproducible builds for open-source packages"),
        ("Passwortlose Anmeldung für zivilgesellschaftliche Dienste", "Passwordless login for civil-society services"),
        ("Metadatenarme Kommunikation für Redaktionen", "Metadata-minimising communication for newsrooms"),
        ("Sicherheitsupdates für alte Android-Geräte", "Security updates for old Android devices"),
        ("Verschlüsselte Backups für gemeinnützige Vereine", "Encrypted backups for non-profits"),
        ("Tracker-Erkennung in Behörden-Apps", "Detecting trackers in government apps"),
    ),
}  # fmt: skip

CHALLENGES = {
    "open-data": (
        ("Viele Daten der öffentlichen Hand liegen nur als PDF oder in geschlossenen Fachverfahren vor.",
         "Much public-sector data exists only as PDF files or inside closed specialist software."),
        ("Wer sie nutzen will, muss sie mühsam abtippen oder teure kommerzielle Anbieter bezahlen.",
         "Anyone who wants to use it has to retype it or pay expensive commercial vendors."),
        ("So bleiben Fragen von Bürgerinnen, Redaktionen und Verwaltung unbeantwortet, obwohl die Antworten längst erhoben wurden.",
         "So questions from citizens, newsrooms and administrations stay unanswered although the answers were collected long ago."),
    ),
    "civic-tech": (
        ("Digitale Beteiligung scheitert oft an komplizierten, nicht barrierefreien Werkzeugen.",
         "Digital participation often fails because the tools are complicated and inaccessible."),
        ("Kleine Gemeinden und Initiativen haben weder Budget noch Personal für eigene Lösungen.",
         "Small municipalities and initiatives have neither the budget nor the staff for their own solutions."),
        ("Kommerzielle Plattformen sammeln dabei Daten, die nicht in ihre Hände gehören.",
         "Commercial platforms collect data along the way that should not be theirs."),
    ),
    "data-security": (
        ("Zivilgesellschaftliche Organisationen verarbeiten sensible Daten, haben aber kaum Sicherheitsexpertise.",
         "Civil-society organisations handle sensitive data but have little security expertise."),
        ("Bestehende Sicherheitswerkzeuge sind für Fachleute gebaut und für Ehrenamtliche kaum bedienbar.",
         "Existing security tools are built for experts and hardly usable for volunteers."),
        ("Ein einziger Vorfall kann das Vertrauen von Ratsuchenden dauerhaft zerstören.",
         "A single incident can permanently destroy the trust of the people who seek help."),
    ),
}  # fmt: skip

SUMMARY_OPENING = ("Mit {name} entwickeln wir einen offenen Prototyp zum Thema „{subject}“.",
                   "With {name} we build an open prototype on “{subject}”.")  # fmt: skip
SUMMARY_MORE = (
    ("Der Prototyp richtet sich an {group} und wird vollständig unter einer freien Lizenz veröffentlicht.",
     "The prototype serves {group} and is published entirely under a free licence."),
    ("Im Förderzeitraum entsteht eine funktionsfähige erste Version, die wir mit Pilotnutzerinnen und -nutzern testen.",
     "During the funding period we deliver a working first version and test it with pilot users."),
    ("Alle Komponenten lassen sich von anderen Kommunen und Initiativen ohne Lizenzkosten übernehmen.",
     "Every component can be reused by other municipalities and initiatives without licence fees."),
    ("Wir veröffentlichen früh und oft, damit Rückmeldungen direkt in die Entwicklung einfließen.",
     "We release early and often so that feedback flows straight into development."),
)  # fmt: skip
CHALLENGE_CLOSING = ("{name} setzt genau hier an.", "{name} addresses exactly this gap.")
TECHNOLOGIES = ("Python, Django und PostgreSQL", "Rust und SQLite", "TypeScript, SvelteKit und PostGIS",
                "Go und OpenStreetMap-Daten", "Kotlin und Jetpack Compose", "Elixir und Phoenix LiveView",
                "Flutter und eine Python-API", "Vue.js und FastAPI")  # fmt: skip
APPROACH_OPENING = ("Technisch setzen wir auf {tech}.", "Technically we build on {tech}.")
APPROACH_MORE = (
    ("Die Daten werden über eine dokumentierte REST-Schnittstelle und als Massendownload bereitgestellt.",
     "Data is published through a documented REST API and as bulk downloads."),
    ("Die Oberfläche folgt der BITV 2.0 und wird mit Screenreadern getestet.",
     "The interface follows WCAG 2.1 AA and is tested with screen readers."),
    ("Wir entwickeln testgetrieben mit kontinuierlicher Integration und von Anfang an im offenen Repository.",
     "We develop test-first with continuous integration, in the open repository from day one."),
    ("Personenbezogene Daten werden nur verschlüsselt gespeichert und nach festen Fristen gelöscht.",
     "Personal data is stored encrypted only and deleted after fixed periods."),
    ("Die Anwendung läuft auf einem einfachen Server und lässt sich mit einem Befehl installieren.",
     "The application runs on a modest server and installs with a single command."),
)  # fmt: skip
PRIOR_WORK = (
    ("Ein erster Proof of Concept ist bei einem Hackathon entstanden.",
     "A first proof of concept was built at a hackathon."),
    ("Wir haben Interviews mit {count} künftigen Nutzerinnen und Nutzern geführt.",
     "We interviewed {count} prospective users."),
    ("Es gibt noch keinen Code; die Idee stammt aus unserer ehrenamtlichen Arbeit.",
     "There is no code yet; the idea comes from our volunteer work."),
    ("Ein Skript zum Datenimport läuft bereits in unserer Stadt.",
     "A data-import script already runs in our city."),
)  # fmt: skip
SIMILAR = (
    ("Kommerzielle Lösungen existieren, sind aber proprietär und teuer.",
     "Commercial solutions exist but are proprietary and expensive."),
    ("Das Projekt {other} verfolgte ein ähnliches Ziel, wird aber nicht mehr gepflegt.",
     "The project {other} had a similar aim but is no longer maintained."),
    ("Uns ist kein vergleichbares offenes Werkzeug im deutschsprachigen Raum bekannt.",
     "We know of no comparable open tool in the German-speaking world."),
)  # fmt: skip
OTHER_PROJECTS = ("Decidim", "CONSUL", "FixMyStreet", "OParl", "SecureDrop", "Frab", "Mitmachen")
GROUPS = (
    ("ehrenamtliche Initiativen in kleinen Städten", "volunteer initiatives in small towns"),
    ("kommunale Verwaltungen", "municipal administrations"),
    ("Journalistinnen und Journalisten", "journalists"),
    ("Beratungsstellen und Vereine", "counselling services and associations"),
    ("Schülerinnen, Schüler und Lehrkräfte", "pupils and teachers"),
    ("Menschen mit Behinderungen", "people with disabilities"),
    ("Mieterinnen und Mieter", "tenants"),
    ("Forschende und Data Scientists", "researchers and data scientists"),
)
TARGET_OPENING = ("Unsere Zielgruppe sind {group}.", "Our target group are {group}.")
TARGET_MORE = ("Mittelbar profitieren alle, die auf verlässliche öffentliche Informationen angewiesen sind.",
               "Indirectly, everyone who relies on trustworthy public information benefits.")  # fmt: skip
EXPERIENCE_INDIVIDUAL = ("Ich entwickle seit {years} Jahren Software und pflege mehrere Open-Source-Projekte.",
                         "I have developed software for {years} years and maintain several open-source projects.")  # fmt: skip
EXPERIENCE_TEAM = ("Unser Team bringt Erfahrung aus Softwareentwicklung, Design und Verwaltung mit.",
                   "Our team combines experience in software development, design and public administration.")  # fmt: skip
EXPERIENCE_MORE = ("Wir engagieren uns seit Jahren im OK Lab unserer Stadt.",
                   "We have been active in our city's OK Lab for years.")  # fmt: skip

MILESTONE_FIRST = (("Nutzerforschung und Anforderungen", "Interviewbericht und priorisierte Anforderungen im Repository"),
                   ("User research and requirements", "Interview report and prioritised requirements in the repository"))  # fmt: skip
MILESTONE_MIDDLE = (
    (("Datenmodell und Import", "Importwerkzeug mit Tests, veröffentlicht unter offener Lizenz"),
     ("Data model and import", "Import tool with tests, released under an open licence")),
    (("Prototyp der Oberfläche", "Klickbarer, barrierefreier Prototyp (v0.1)"),
     ("Interface prototype", "Clickable, accessible prototype (v0.1)")),
    (("Schnittstelle und Dokumentation", "Dokumentierte API (OpenAPI) und Entwicklerhandbuch"),
     ("API and documentation", "Documented API (OpenAPI) and developer guide")),
    (("Pilotbetrieb", "Pilot mit zwei Partnerorganisationen und Auswertungsbericht"),
     ("Pilot operation", "Pilot with two partner organisations and evaluation report")),
    (("Sicherheitsprüfung", "Externes Code-Review und behobene Befunde"),
     ("Security review", "External code review and fixed findings")),
)  # fmt: skip
MILESTONE_LAST = (("Veröffentlichung 1.0", "Release 1.0 mit Installationsanleitung und Abschlussdemo"),
                  ("Release 1.0", "Release 1.0 with installation guide and final demo"))  # fmt: skip

QUESTIONS = (
    (("Bitte erläutern Sie, wie die Daten nach Ende der Förderung gepflegt werden.",
      "Please explain how the data will be maintained after the funding period."),
     ("Die Pflege übernimmt unser Verein; die Kosten deckt der Mitgliedsbeitrag.",
      "Our association maintains it; membership fees cover the costs."), ["technical_approach"]),
    (("Bitte grenzen Sie das Vorhaben deutlicher von bestehenden Lösungen ab.",
      "Please distinguish the project more clearly from existing solutions."),
     ("Wir haben die Abgrenzung im Abschnitt ergänzt.",
      "We have added the distinction to the section."), ["similar_approaches"]),
    (("Ist ein Teammitglied bereits in einem anderen geförderten Projekt beschäftigt?",
      "Is a team member already employed on another funded project?"),
     ("Nein, diese Stelle endet vor Beginn des Förderzeitraums.",
      "No, that position ends before the funding period starts."), ["team_experience"]),
    (("Bitte schlüsseln Sie die Stunden von Meilenstein 2 genauer auf.",
      "Please break down the hours of milestone 2 in more detail."),
     ("Etwa zwei Drittel sind Entwicklung, ein Drittel Tests und Dokumentation.",
      "About two thirds are development, one third testing and documentation."), []),
)  # fmt: skip
# What applicants add to the section a question unlocked, so that staff see a diff.
ANSWER_ADDITIONS = {
    "technical_approach": ("Nach der Förderung pflegt unser Verein die Daten; die Kosten deckt der Mitgliedsbeitrag.",
                           "After the funding period our association maintains the data; membership fees cover the costs."),
    "similar_approaches": ("Anders als bestehende Lösungen ist unser Werkzeug offen lizenziert und ohne Anmeldung nutzbar.",
                           "Unlike existing solutions, our tool is openly licensed and usable without an account."),
    "team_experience": ("Die frühere Stelle eines Teammitglieds endet vor Beginn des Förderzeitraums.",
                        "A team member's earlier position ends before the funding period starts."),
}  # fmt: skip
INELIGIBILITY_NOTES = {
    IneligibilityReason.NOT_OPEN_SOURCE: ("Der Code soll nur teilweise veröffentlicht werden.",
                                          "Only part of the code would be published."),
    IneligibilityReason.NOT_PROTOTYPE: ("Weiterentwicklung eines bestehenden Produkts.",
                                        "Further development of an existing product."),
    IneligibilityReason.OUT_OF_SCOPE: ("Kein Bezug zu den Themen des Fonds erkennbar.",
                                       "No link to the fund's topics."),
    IneligibilityReason.NOT_ELIGIBLE_APPLICANT: ("Antrag eines Unternehmens, das das Ergebnis vermarkten will.",
                                                 "Submitted by a company that intends to sell the result."),
    IneligibilityReason.BUDGET: ("Der Großteil der Mittel ist für Hardware vorgesehen.",
                                 "Most of the money is planned for hardware."),
    IneligibilityReason.DUPLICATE: ("Inhaltsgleich mit einem weiteren Antrag derselben Person.",
                                    "Identical to another application by the same person."),
    IneligibilityReason.OTHER: ("Das Vorhaben wird bereits aus einem anderen Bundesprogramm gefördert.",
                                "The project is already funded by another federal programme."),
}  # fmt: skip
WITHDRAWAL_NOTES = (("Wir haben inzwischen eine andere Förderung erhalten.", "We have received other funding meanwhile."),
                    ("Unser Team hat sich leider aufgelöst.", "Unfortunately our team has split up."),
                    ("", ""))  # fmt: skip

# The questions and answers on every demo call's page (what applicants ask the office most).
CALL_FAQ = (
    {
        "question_de": "Können wir uns als Verein oder gGmbH bewerben?",
        "question_en": "Can we apply as an association or a non-profit company?",
        "answer_de": (
            "Ja. Gefördert werden Einzelpersonen und Teams; eine Rechtsform ist nicht nötig. "
            "Den Zuwendungsvertrag schließen wir mit der Person oder Organisation, die den "
            "Antrag stellt."
        ),
        "answer_en": (
            "Yes. Individuals and teams are funded; no legal form is needed. The grant "
            "agreement is made with the person or organisation that applies."
        ),
    },
    {
        "question_de": "Muss der Code von Anfang an öffentlich sein?",
        "question_en": "Does the code have to be public from the start?",
        "answer_de": (
            "Spätestens mit dem ersten Meilenstein liegt der Code in einem öffentlichen "
            "Repository unter einer freien Lizenz. Vorher dürfen Sie privat arbeiten."
        ),
        "answer_en": (
            "By the first milestone at the latest, the code is in a public repository under "
            "an open licence. Before that you may work in private."
        ),
    },
    {
        "question_de": "Darf ich mehrere Anträge in einer Runde stellen?",
        "question_en": "May I submit more than one application in a round?",
        "answer_de": (
            "Ja, aber jedes Vorhaben wird für sich bewertet, und wir fördern pro Person "
            "höchstens ein Vorhaben je Runde."
        ),
        "answer_en": (
            "Yes, but each project is assessed on its own, and we fund at most one project "
            "per person and round."
        ),
    },
)
CALL_CONTACT = {
    "contact_name": "Jana Weber",
    "contact_phone": "+49 30 1234567",
}
