"""The help centre's starter articles, written for this portal from the facts of the
seed pages (see /work/shared/seeds/README.md), in English, Greek, Italian and Slovak.

Loaded by `manage.py load_help_articles` (which `seed_demo` calls): it creates the
sections and articles that are missing, publishes them, and never touches an article
that already exists, so staff edits survive a second run. Figures that the portal
enforces elsewhere (response times, opening hours) are not repeated here: the articles
point to the "Contact and hours" page, which reads them from the SLA policies.
"""

# (slug, position, {language: name})
SECTIONS = [
    (
        "account",
        1,
        {"en": "Your account", "el": "Ο λογαριασμός σας", "it": "Il Suo account",
         "sk": "Vaše konto"},
    ),
    (
        "security",
        2,
        {"en": "Security and the Support PIN", "el": "Ασφάλεια και Support PIN",
         "it": "Sicurezza e Support PIN", "sk": "Bezpečnosť a Support PIN"},
    ),
    (
        "requests",
        3,
        {"en": "Support requests", "el": "Αιτήματα υποστήριξης",
         "it": "Richieste di assistenza", "sk": "Požiadavky na podporu"},
    ),
    (
        "staff-procedures",
        4,
        {"en": "Staff procedures", "el": "Διαδικασίες προσωπικού",
         "it": "Procedure per il personale", "sk": "Postupy pre zamestnancov"},
    ),
]  # fmt: skip

ARTICLES = [
    {
        "slug": "registration-and-activation",
        "section": "account",
        "related": ["forgotten-password-or-username", "two-factor-authentication"],
        "versions": {
            "en": (
                "Creating an account and activating it",
                "Register once, then follow the link we email you before you log in.",
                """Choose **Register** at the top of any page and fill in:

- your name, your email address and a username;
- a password, typed twice;
- the name of your company (and your contract number, if we ask for it).

We then send a message to the address you gave. **Your login stays inactive until you
follow the link in it**, so check your spam folder if it does not arrive. The link works
only once and only for a few days: if it has expired, try to log in and the portal will
offer to send a new one.

Each person gets their own login. The owner of a company account invites colleagues from
**People and permissions**; please do not share one login between several people.""",
            ),
            "el": (
                "Δημιουργία και ενεργοποίηση λογαριασμού",
                "Κάνετε εγγραφή μία φορά και ακολουθείτε τον σύνδεσμο που σας στέλνουμε με email πριν συνδεθείτε.",
                """Επιλέξτε **Εγγραφή** στο πάνω μέρος οποιασδήποτε σελίδας και συμπληρώστε:

- το ονοματεπώνυμό σας, τη διεύθυνση email σας και ένα όνομα χρήστη·
- έναν κωδικό πρόσβασης, δύο φορές·
- την επωνυμία της εταιρείας σας (και τον αριθμό σύμβασης, αν σας ζητηθεί).

Στη συνέχεια σας στέλνουμε μήνυμα στη διεύθυνση που δηλώσατε. **Ο λογαριασμός χρήστη
παραμένει ανενεργός μέχρι να ακολουθήσετε τον σύνδεσμο του μηνύματος**· αν δεν το
βρίσκετε, ελέγξτε τον φάκελο ανεπιθύμητης αλληλογραφίας. Ο σύνδεσμος λειτουργεί μία μόνο
φορά και για λίγες ημέρες. Αν έχει λήξει, δοκιμάστε να συνδεθείτε και η πύλη θα σας
προτείνει να σας στείλει νέο.

Κάθε πρόσωπο έχει δικό του λογαριασμό χρήστη. Ο κάτοχος του εταιρικού λογαριασμού
προσκαλεί τους συναδέλφους του από τη σελίδα **Άτομα και δικαιώματα**. Παρακαλούμε μη
μοιράζεστε τον ίδιο λογαριασμό χρήστη μεταξύ πολλών ατόμων.""",
            ),
            "it": (
                "Creare un account e attivarlo",
                "Si registri una volta, poi apra il link che Le inviamo per e-mail prima di accedere.",
                """Scelga **Registrati** in alto su qualsiasi pagina e indichi:

- il Suo nome, il Suo indirizzo e-mail e un nome utente;
- una password, digitata due volte;
- il nome della Sua azienda (e il numero di contratto, se richiesto).

Le inviamo quindi un messaggio all'indirizzo indicato. **La Sua utenza resta inattiva
finché non apre il link contenuto nel messaggio**: se non lo trova, controlli la cartella
della posta indesiderata. Il link funziona una sola volta e per pochi giorni; se è
scaduto, provi ad accedere e il portale Le proporrà di inviarne uno nuovo.

Ogni persona ha la propria utenza. Il titolare dell'account aziendale invita i colleghi
da **Persone e permessi**; La preghiamo di non condividere la stessa utenza tra più
persone.""",
            ),
            "sk": (
                "Vytvorenie a aktivácia konta",
                "Zaregistrujte sa raz a pred prihlásením otvorte odkaz, ktorý Vám pošleme e-mailom.",
                """Zvoľte **Registrovať sa** v hornej časti ktorejkoľvek stránky a vyplňte:

- Vaše meno, e-mailovú adresu a prihlasovacie meno;
- heslo, zadané dvakrát;
- názov Vašej firmy (a číslo zmluvy, ak ho od Vás žiadame).

Potom Vám na zadanú adresu pošleme správu. **Vaše používateľské konto zostane neaktívne,
kým neotvoríte odkaz v tejto správe.** Ak správa nepríde, pozrite sa do priečinka
nevyžiadanej pošty. Odkaz funguje iba raz a iba niekoľko dní; ak jeho platnosť uplynula,
skúste sa prihlásiť a portál Vám ponúkne poslať nový.

Každá osoba má vlastné používateľské konto. Vlastník zákazníckeho konta pozýva kolegov
na stránke **Ľudia a práva**; prosíme, nezdieľajte jedno používateľské konto medzi
viacerými ľuďmi.""",
            ),
        },
    },
    {
        "slug": "forgotten-password-or-username",
        "section": "account",
        "related": ["registration-and-activation", "suspicious-activity"],
        "versions": {
            "en": (
                "I forgot my password or my username",
                "Ask for a reset link or a reminder on the login page; both go to your registered email address.",
                """On the **Log in** page:

- **Forgot your password?** Enter the email address of your account. We email you a
  link to choose a new password. It usually arrives within a few minutes; look in your
  spam folder too.
- **Forgot your username?** Enter the same address and we email you your username.
  You can also simply log in with your email address instead of the username.

For your safety the page answers the same whether or not the address has an account,
and the messages go only to the address registered on the account, never to another
one. If you no longer have access to that mailbox, open a request from a colleague's
login or call us.""",
            ),
            "el": (
                "Ξέχασα τον κωδικό πρόσβασης ή το όνομα χρήστη",
                "Ζητήστε σύνδεσμο επαναφοράς ή υπενθύμιση από τη σελίδα σύνδεσης· και τα δύο φτάνουν στο email που έχετε δηλώσει.",
                """Στη σελίδα **Σύνδεση**:

- **Ξεχάσατε τον κωδικό σας;** Εισαγάγετε τη διεύθυνση email του λογαριασμού σας.
  Σας στέλνουμε με email έναν σύνδεσμο για να ορίσετε νέο κωδικό πρόσβασης. Συνήθως
  φτάνει μέσα σε λίγα λεπτά· ελέγξτε και τον φάκελο ανεπιθύμητης αλληλογραφίας.
- **Ξεχάσατε το όνομα χρήστη;** Εισαγάγετε την ίδια διεύθυνση και θα σας στείλουμε το
  όνομα χρήστη σας. Μπορείτε επίσης να συνδέεστε απλώς με τη διεύθυνση email σας.

Για την ασφάλειά σας η σελίδα απαντά με τον ίδιο τρόπο είτε υπάρχει λογαριασμός με αυτή
τη διεύθυνση είτε όχι, και τα μηνύματα αποστέλλονται μόνο στη διεύθυνση που είναι
καταχωρισμένη στον λογαριασμό. Αν δεν έχετε πλέον πρόσβαση σε αυτό το email, ανοίξτε ένα
αίτημα από τον λογαριασμό χρήστη ενός συναδέλφου σας ή τηλεφωνήστε μας.""",
            ),
            "it": (
                "Ho dimenticato la password o il nome utente",
                "Chieda un link di reimpostazione o un promemoria dalla pagina di accesso: arrivano entrambi all'indirizzo e-mail registrato.",
                """Nella pagina **Accedi**:

- **Ha dimenticato la password?** Inserisca l'indirizzo e-mail del Suo account. Le
  inviamo per e-mail un link per scegliere una nuova password. Di solito arriva in pochi
  minuti; controlli anche la posta indesiderata.
- **Nome utente dimenticato?** Inserisca lo stesso indirizzo e Le invieremo il Suo
  nome utente. Può anche accedere semplicemente con il Suo indirizzo e-mail.

Per la Sua sicurezza la pagina risponde allo stesso modo che l'indirizzo corrisponda o
meno a un account, e i messaggi partono solo verso l'indirizzo registrato, mai verso un
altro. Se non ha più accesso a quella casella, apra una richiesta dall'utenza di un
collega oppure ci telefoni.""",
            ),
            "sk": (
                "Zabudol som heslo alebo prihlasovacie meno",
                "Na prihlasovacej stránke si vyžiadajte odkaz na obnovenie alebo pripomienku; oboje príde na Vašu registrovanú e-mailovú adresu.",
                """Na stránke **Prihlásiť sa**:

- **Zabudli ste heslo?** Zadajte e-mailovú adresu svojho konta. Pošleme Vám e-mailom
  odkaz na zvolenie nového hesla. Zvyčajne príde do niekoľkých minút; pozrite sa aj do
  nevyžiadanej pošty.
- **Zabudli ste používateľské meno?** Zadajte tú istú adresu a pošleme Vám Vaše
  prihlasovacie meno. Prihlásiť sa môžete aj priamo e-mailovou adresou.

Kvôli Vašej bezpečnosti stránka odpovie rovnako bez ohľadu na to, či k adrese existuje
konto, a správy posielame iba na adresu registrovanú v konte, nikdy na inú. Ak už k tejto
schránke nemáte prístup, otvorte požiadavku z používateľského konta kolegu alebo nám
zavolajte.""",
            ),
        },
    },
    {
        "slug": "changing-your-email-address",
        "section": "account",
        "related": ["forgotten-password-or-username"],
        "versions": {
            "en": (
                "Changing the email address of your login",
                "The new address counts only after you confirm it from that mailbox.",
                """Open the account menu (your username at the top right) and choose **Change
email address**. Enter the new address and your current password.

- We send a confirmation link to the **new** address and a notice to the **old** one.
- Nothing changes until the link is followed, so a typo cannot lock you out.

We only ever answer and send notifications to the address registered on your login. A
message asking us to reply to another address is answered at the registered one: this
protects you if someone pretends to be you. Change the address here, not by writing to
us.""",
            ),
            "el": (
                "Αλλαγή της διεύθυνσης email του λογαριασμού χρήστη",
                "Η νέα διεύθυνση ισχύει μόνο αφού την επιβεβαιώσετε από το ίδιο το γραμματοκιβώτιο.",
                """Ανοίξτε το μενού του λογαριασμού (το όνομα χρήστη σας πάνω δεξιά) και επιλέξτε
**Αλλαγή διεύθυνσης email**. Εισαγάγετε τη νέα διεύθυνση και τον τρέχοντα κωδικό
πρόσβασης.

- Στέλνουμε σύνδεσμο επιβεβαίωσης στη **νέα** διεύθυνση και ειδοποίηση στην **παλιά**.
- Τίποτα δεν αλλάζει μέχρι να ακολουθήσετε τον σύνδεσμο, οπότε ένα λάθος στην
  πληκτρολόγηση δεν σας κλειδώνει έξω.

Απαντάμε και στέλνουμε ειδοποιήσεις μόνο στη διεύθυνση που είναι καταχωρισμένη στον
λογαριασμό χρήστη. Αν ένα μήνυμα μάς ζητήσει να απαντήσουμε σε άλλη διεύθυνση, απαντάμε
στην καταχωρισμένη· έτσι προστατεύεστε αν κάποιος προσποιηθεί ότι είστε εσείς. Αλλάξτε
τη διεύθυνση από εδώ και όχι γράφοντάς μας.""",
            ),
            "it": (
                "Cambiare l'indirizzo e-mail della Sua utenza",
                "Il nuovo indirizzo vale solo dopo che Lei lo ha confermato da quella casella.",
                """Apra il menu dell'account (il Suo nome utente in alto a destra) e scelga **Modifica
indirizzo e-mail**. Inserisca il nuovo indirizzo e la password attuale.

- Inviamo un link di conferma al **nuovo** indirizzo e un avviso al **vecchio**.
- Nulla cambia finché il link non viene aperto: un errore di battitura non La lascia
  fuori.

Rispondiamo e inviamo notifiche solo all'indirizzo registrato sulla Sua utenza. Se un
messaggio ci chiede di rispondere a un altro indirizzo, rispondiamo comunque a quello
registrato: così La proteggiamo da chi si spaccia per Lei. Cambi l'indirizzo da qui, non
scrivendoci.""",
            ),
            "sk": (
                "Zmena e-mailovej adresy používateľského konta",
                "Nová adresa platí až potom, ako ju potvrdíte z tejto schránky.",
                """Otvorte ponuku konta (Vaše prihlasovacie meno vpravo hore) a zvoľte **Zmeniť
e-mailovú adresu**. Zadajte novú adresu a svoje súčasné heslo.

- Na **novú** adresu pošleme odkaz na potvrdenie a na **starú** upozornenie.
- Kým odkaz neotvoríte, nič sa nezmení, takže preklep Vás nezamkne.

Odpovedáme a upozornenia posielame iba na adresu registrovanú vo Vašom používateľskom
konte. Ak nás správa žiada odpovedať na inú adresu, odpovieme na registrovanú; tak Vás
chránime pred niekým, kto sa za Vás vydáva. Adresu zmeňte tu, nie e-mailom nám.""",
            ),
        },
    },
    {
        "slug": "deleting-your-account",
        "section": "account",
        "related": ["your-data-rights"],
        "versions": {
            "en": (
                "Deleting your account",
                "Deletion cannot be undone; we confirm it by email and keep only what the law requires.",
                """A **member** login of a company can be removed by the company's owner in **People
and permissions**. To close the whole customer account, the owner opens a support
request with the category *Question* and writes that the account is to be deleted.

- We confirm by email, at the registered address, before anything is deleted.
- Deletion is **permanent**: your logins, requests and Support PIN go, and cannot be
  brought back.
- Records that the law obliges us to keep (for example invoices) are kept for the
  period the law sets, and used for nothing else.

Download or copy anything you want to keep (such as your invoices) before you ask.""",
            ),
            "el": (
                "Διαγραφή του λογαριασμού σας",
                "Η διαγραφή δεν αναιρείται· την επιβεβαιώνουμε με email και κρατάμε μόνο ό,τι απαιτεί ο νόμος.",
                """Έναν λογαριασμό χρήστη **μέλους** μιας εταιρείας μπορεί να τον αφαιρέσει ο κάτοχος
από τη σελίδα **Άτομα και δικαιώματα**. Για να κλείσει ολόκληρος ο λογαριασμός πελάτη,
ο κάτοχος ανοίγει αίτημα υποστήριξης με κατηγορία *Ερώτηση* και γράφει ότι ζητά τη
διαγραφή του λογαριασμού.

- Επιβεβαιώνουμε με email, στη διεύθυνση που έχετε δηλώσει, πριν διαγραφεί οτιδήποτε.
- Η διαγραφή είναι **οριστική**: οι λογαριασμοί χρήστη, τα αιτήματα και το Support PIN
  διαγράφονται και δεν ανακτώνται.
- Όσα στοιχεία ο νόμος μάς υποχρεώνει να τηρούμε (για παράδειγμα τιμολόγια) τα κρατάμε
  για το διάστημα που ορίζει ο νόμος και δεν τα χρησιμοποιούμε για κανέναν άλλο σκοπό.

Πριν το ζητήσετε, αποθηκεύστε ό,τι θέλετε να κρατήσετε (όπως τα τιμολόγιά σας).""",
            ),
            "it": (
                "Eliminare il Suo account",
                "L'eliminazione è irreversibile: la confermiamo per e-mail e conserviamo solo ciò che la legge impone.",
                """L'utenza di un **membro** dell'azienda può essere rimossa dal titolare in **Persone e
permessi**. Per chiudere l'intero account cliente, il titolare apre una richiesta
di assistenza con la categoria *Domanda* e scrive che l'account va eliminato.

- Confermiamo per e-mail, all'indirizzo registrato, prima di eliminare qualsiasi cosa.
- L'eliminazione è **definitiva**: utenze, richieste e Support PIN vengono cancellati e
  non si possono recuperare.
- I dati che la legge ci obbliga a conservare (per esempio le fatture) restano per il
  periodo previsto dalla legge e non vengono usati per altro.

Prima di chiederlo, salvi ciò che desidera conservare (ad esempio le Sue fatture).""",
            ),
            "sk": (
                "Zrušenie konta",
                "Zrušenie sa nedá vrátiť späť; potvrdíme ho e-mailom a ponecháme len to, čo vyžaduje zákon.",
                """Používateľské konto **člena** firmy môže vlastník odstrániť na stránke **Ľudia a
práva**. Ak chcete zrušiť celé zákaznícke konto, vlastník otvorí požiadavku na
podporu s kategóriou *Otázka* a napíše, že konto sa má zrušiť.

- Pred odstránením čohokoľvek to potvrdíme e-mailom na registrovanú adresu.
- Zrušenie je **trvalé**: používateľské kontá, požiadavky aj Support PIN sa odstránia a
  nedajú sa obnoviť.
- Záznamy, ktoré musíme zo zákona uchovávať (napríklad faktúry), uchováme po zákonom
  stanovenú dobu a na nič iné ich nepoužijeme.

Skôr ako o zrušenie požiadate, uložte si všetko, čo si chcete ponechať (napríklad faktúry).""",
            ),
        },
    },
    {
        "slug": "your-data-rights",
        "section": "account",
        "related": ["deleting-your-account", "changing-your-email-address"],
        "versions": {
            "en": (
                "Your rights over your personal data",
                "Access, correction, erasure, restriction, portability and objection: how to use them here.",
                """Under the GDPR you may ask us to:

- **give you access** to the personal data we hold about you;
- **correct** it (most of it you can correct yourself in **My profile**);
- **erase** it (see *Deleting your account*);
- **restrict** how we use it while a question is settled;
- **hand it over** in a machine-readable format (**portability**);
- **stop** a use you **object** to.

Open a support request with the category *Question*, saying which right you want to use.
We answer from the request, at the address registered on your login, so that no one
else can obtain your data by writing to us. You may also complain to your national data
protection authority.""",
            ),
            "el": (
                "Τα δικαιώματά σας για τα προσωπικά σας δεδομένα",
                "Πρόσβαση, διόρθωση, διαγραφή, περιορισμός, φορητότητα και εναντίωση: πώς τα ασκείτε εδώ.",
                """Σύμφωνα με τον ΓΚΠΔ (GDPR) μπορείτε να μας ζητήσετε:

- **πρόσβαση** στα προσωπικά δεδομένα που τηρούμε για εσάς·
- **διόρθωσή** τους (τα περισσότερα τα διορθώνετε μόνοι σας στο **Το προφίλ μου**)·
- **διαγραφή** τους (δείτε *Διαγραφή του λογαριασμού σας*)·
- **περιορισμό** της χρήσης τους όσο εξετάζεται ένα ζήτημα·
- **φορητότητα**, δηλαδή να σας τα δώσουμε σε μορφή αναγνώσιμη από υπολογιστή·
- να σταματήσουμε μια χρήση στην οποία **εναντιώνεστε**.

Ανοίξτε αίτημα υποστήριξης με κατηγορία *Ερώτηση* και γράψτε ποιο δικαίωμα θέλετε να
ασκήσετε. Απαντάμε μέσα από το αίτημα, στη διεύθυνση που είναι καταχωρισμένη στον
λογαριασμό χρήστη, ώστε κανείς άλλος να μην αποκτήσει τα δεδομένα σας γράφοντάς μας.
Έχετε επίσης δικαίωμα να υποβάλετε καταγγελία στην Αρχή Προστασίας Δεδομένων.""",
            ),
            "it": (
                "I Suoi diritti sui dati personali",
                "Accesso, rettifica, cancellazione, limitazione, portabilità e opposizione: come esercitarli qui.",
                """In base al GDPR Lei può chiederci di:

- **accedere** ai dati personali che conserviamo su di Lei;
- **rettificarli** (quasi tutti può correggerli da sé in **Il mio profilo**);
- **cancellarli** (veda *Eliminare il Suo account*);
- **limitarne** l'uso mentre una questione viene chiarita;
- riceverli in un formato leggibile da computer (**portabilità**);
- interrompere un trattamento a cui **si oppone**.

Apra una richiesta di assistenza con la categoria *Domanda*, indicando quale diritto
desidera esercitare. Rispondiamo nella richiesta, all'indirizzo registrato sulla Sua
utenza, perché nessun altro possa ottenere i Suoi dati scrivendoci. Può anche presentare
reclamo al Garante per la protezione dei dati personali.""",
            ),
            "sk": (
                "Vaše práva k osobným údajom",
                "Prístup, oprava, vymazanie, obmedzenie, prenosnosť a námietka: ako ich tu uplatniť.",
                """Podľa GDPR nás môžete požiadať, aby sme:

- Vám umožnili **prístup** k osobným údajom, ktoré o Vás máme;
- ich **opravili** (väčšinu si opravíte sami v časti **Môj profil**);
- ich **vymazali** (pozri *Zrušenie konta*);
- **obmedzili** ich používanie, kým sa otázka vyrieši;
- Vám ich odovzdali v strojovo čitateľnom formáte (**prenosnosť**);
- prestali s používaním, proti ktorému **namietate**.

Otvorte požiadavku na podporu s kategóriou *Otázka* a napíšte, ktoré právo chcete
uplatniť. Odpovedáme v požiadavke, na adresu registrovanú vo Vašom používateľskom konte,
aby nikto iný nemohol Vaše údaje získať tým, že nám napíše. Môžete sa obrátiť aj na Úrad
na ochranu osobných údajov.""",
            ),
        },
    },
    {
        "slug": "two-factor-authentication",
        "section": "security",
        "related": ["suspicious-activity", "forgotten-password-or-username"],
        "versions": {
            "en": (
                "Two-factor authentication",
                "Protect your login with an authenticator app, a passkey or codes by email, and keep your recovery codes.",
                """With two-factor authentication, someone who learns your password still cannot log
in. Open the account menu, choose **Security** and add one or more methods:

- an **authenticator app** (Google Authenticator, FreeOTP, ...): scan the QR code, then
  type the code the app shows;
- a **passkey or security key**;
- **codes by email**, sent to your registered address.

The first method gives you **10 recovery codes**, shown once: download or print them and
keep them apart from your phone. Each works once, if you lose your device.

Lost both the device and the recovery codes? Call us: after checking who you are, an
agent can reset two-factor authentication, and you add your methods again.""",
            ),
            "el": (
                "Έλεγχος ταυτότητας δύο παραγόντων",
                "Προστατέψτε τον λογαριασμό χρήστη με εφαρμογή ελέγχου ταυτότητας, passkey ή κωδικούς με email, και φυλάξτε τους κωδικούς ανάκτησης.",
                """Με τον έλεγχο ταυτότητας δύο παραγόντων, όποιος μάθει τον κωδικό πρόσβασής σας
εξακολουθεί να μην μπορεί να συνδεθεί. Ανοίξτε το μενού του λογαριασμού, επιλέξτε
**Ασφάλεια** και προσθέστε μία ή περισσότερες μεθόδους:

- μια **εφαρμογή ελέγχου ταυτότητας** (Google Authenticator, FreeOTP, ...): σαρώστε τον
  κωδικό QR και πληκτρολογήστε τον κωδικό που εμφανίζει η εφαρμογή·
- ένα **passkey ή κλειδί ασφαλείας**·
- **κωδικούς με email**, στη διεύθυνση που έχετε δηλώσει.

Με την πρώτη μέθοδο λαμβάνετε **10 κωδικούς ανάκτησης**, που εμφανίζονται μία μόνο φορά:
κατεβάστε τους ή εκτυπώστε τους και φυλάξτε τους μακριά από το κινητό σας. Καθένας
λειτουργεί μία φορά, αν χάσετε τη συσκευή σας.

Χάσατε και τη συσκευή και τους κωδικούς ανάκτησης; Τηλεφωνήστε μας: αφού επιβεβαιώσουμε
την ταυτότητά σας, ένας εκπρόσωπος μπορεί να επαναφέρει τον έλεγχο δύο παραγόντων και
προσθέτετε ξανά τις μεθόδους σας.""",
            ),
            "it": (
                "Autenticazione a due fattori",
                "Protegga la Sua utenza con un'app di autenticazione, una passkey o codici via e-mail, e conservi i codici di recupero.",
                """Con l'autenticazione a due fattori, chi scopre la Sua password non riesce comunque ad
accedere. Apra il menu dell'account, scelga **Sicurezza** e aggiunga uno o più metodi:

- un'**app di autenticazione** (Google Authenticator, FreeOTP, ...): inquadri il codice
  QR e digiti il codice mostrato dall'app;
- una **passkey o chiave di sicurezza**;
- **codici via e-mail**, inviati al Suo indirizzo registrato.

Con il primo metodo riceve **10 codici di recupero**, mostrati una sola volta: li scarichi
o li stampi e li conservi lontano dal cellulare. Ognuno funziona una volta, se perde il
dispositivo.

Ha perso sia il dispositivo sia i codici di recupero? Ci telefoni: dopo aver verificato
la Sua identità, un operatore può azzerare l'autenticazione a due fattori e Lei aggiunge
di nuovo i Suoi metodi.""",
            ),
            "sk": (
                "Dvojfaktorové overenie",
                "Chráňte svoje používateľské konto overovacou aplikáciou, prístupovým kľúčom alebo kódmi e-mailom a uschovajte si záložné kódy.",
                """Pri dvojfaktorovom overení sa ten, kto zistí Vaše heslo, aj tak neprihlási. Otvorte
ponuku konta, zvoľte **Zabezpečenie** a pridajte jednu alebo viac metód:

- **overovaciu aplikáciu** (Google Authenticator, FreeOTP, ...): naskenujte QR kód a
  zadajte kód, ktorý aplikácia zobrazí;
- **prístupový kľúč (passkey) alebo bezpečnostný kľúč**;
- **kódy e-mailom** na Vašu registrovanú adresu.

Pri prvej metóde dostanete **10 záložných kódov**, zobrazených iba raz: stiahnite si ich
alebo vytlačte a uschovajte mimo telefónu. Každý funguje raz, ak stratíte zariadenie.

Stratili ste zariadenie aj záložné kódy? Zavolajte nám: po overení Vašej totožnosti môže
pracovník podpory dvojfaktorové overenie zrušiť a Vy si metódy pridáte znova.""",
            ),
        },
    },
    {
        "slug": "suspicious-activity",
        "section": "security",
        "related": ["two-factor-authentication", "changing-your-email-address"],
        "versions": {
            "en": (
                "What to do if you notice suspicious activity",
                "Change your password, turn on two-factor authentication and tell us.",
                """If you see a change you did not make, or an email about a login you do not
recognise:

1. **Change your password** at once (account menu, *Change password*).
2. Turn on **two-factor authentication** under *Security*, and choose *Forget all
   remembered browsers*.
3. Check under *Support PIN*, *Actions done for you by support*, that nothing was done
   on your behalf without you.
4. Open a support request with priority *High* and describe what you saw.

We never ask for your password, by phone or by email.""",
            ),
            "el": (
                "Τι κάνετε αν παρατηρήσετε ύποπτη δραστηριότητα",
                "Αλλάξτε τον κωδικό πρόσβασης, ενεργοποιήστε τον έλεγχο δύο παραγόντων και ενημερώστε μας.",
                """Αν δείτε μια αλλαγή που δεν κάνατε εσείς ή ένα email για σύνδεση που δεν
αναγνωρίζετε:

1. **Αλλάξτε αμέσως τον κωδικό πρόσβασης** (μενού λογαριασμού, *Αλλαγή κωδικού
   πρόσβασης*).
2. Ενεργοποιήστε τον **έλεγχο ταυτότητας δύο παραγόντων** στην ενότητα *Ασφάλεια* και
   επιλέξτε *Διαγραφή όλων των απομνημονευμένων προγραμμάτων περιήγησης*.
3. Ελέγξτε στο *Support PIN*, στις *Ενέργειες της υποστήριξης για λογαριασμό σας*, ότι δεν έγινε
   τίποτα για λογαριασμό σας χωρίς εσάς.
4. Ανοίξτε αίτημα υποστήριξης με προτεραιότητα *Υψηλή* και περιγράψτε τι είδατε.

Δεν σας ζητάμε ποτέ τον κωδικό πρόσβασής σας, ούτε τηλεφωνικά ούτε με email.""",
            ),
            "it": (
                "Cosa fare se nota attività sospette",
                "Cambi la password, attivi l'autenticazione a due fattori e ci avvisi.",
                """Se nota una modifica che non ha fatto Lei, o un'e-mail su un accesso che non
riconosce:

1. **Cambi subito la password** (menu dell'account, *Modifica password*).
2. Attivi l'**autenticazione a due fattori** in *Sicurezza* e scelga *Dimentica tutti i
   browser ricordati*.
3. Controlli nel *Support PIN*, alla voce *Interventi eseguiti per Lei dal supporto*,
   che nulla sia stato fatto a Suo nome senza di Lei.
4. Apra una richiesta di assistenza con priorità *Alta* e descriva ciò che ha visto.

Non Le chiediamo mai la password, né al telefono né per e-mail.""",
            ),
            "sk": (
                "Čo robiť pri podozrivej aktivite",
                "Zmeňte heslo, zapnite dvojfaktorové overenie a dajte nám vedieť.",
                """Ak uvidíte zmenu, ktorú ste neurobili, alebo e-mail o prihlásení, ktoré
nepoznáte:

1. **Ihneď zmeňte heslo** (ponuka konta, *Zmeniť heslo*).
2. V časti *Zabezpečenie* zapnite **dvojfaktorové overenie** a zvoľte *Zabudnúť všetky
   zapamätané prehliadače*.
3. V časti *Support PIN*, *Úkony, ktoré pre Vás vykonala podpora*, skontrolujte, že sa
   nič nevykonalo bez Vás.
4. Otvorte požiadavku na podporu s prioritou *Vysoká* a opíšte, čo ste videli.

O heslo Vás nikdy nežiadame, ani telefonicky, ani e-mailom.""",
            ),
        },
    },
    {
        "slug": "support-pin",
        "section": "security",
        "related": ["support-pin-actions", "suspicious-activity"],
        "versions": {
            "en": (
                "The Support PIN: what it is and how to activate it",
                "A 6-digit code that proves it is really you when you call us.",
                """When you call us, we need to know it is really you before we act on your
services. The **Support PIN** is a 6-digit code that only you can see after logging in.

**To activate it:** choose **Support PIN** in the top menu (*Mobile services*), then
**Activate**. If your login has no mobile number yet, enter it first; the PIN is only
ever sent by SMS to that number.

Once active, the PIN is shown in a bar at the bottom of every page. It **changes every
half hour**, and after a successful check it changes at once, so a PIN read out on the
phone cannot be used again. Not logged in? Ask for it by SMS from the same page.

The owner of a company account decides which logins may use the PIN, in **People and
permissions**.""",
            ),
            "el": (
                "Το Support PIN: τι είναι και πώς το ενεργοποιείτε",
                "Ένας εξαψήφιος κωδικός που αποδεικνύει ότι είστε πράγματι εσείς όταν μας τηλεφωνείτε.",
                """Όταν μας τηλεφωνείτε, πρέπει να βεβαιωθούμε ότι είστε πράγματι εσείς πριν κάνουμε
οποιαδήποτε ενέργεια στις υπηρεσίες σας. Το **Support PIN** είναι ένας εξαψήφιος κωδικός
που βλέπετε μόνο εσείς, αφού συνδεθείτε.

**Ενεργοποίηση:** επιλέξτε **Support PIN** στο επάνω μενού (*Υπηρεσίες κινητής*) και
έπειτα **Ενεργοποίηση**. Αν ο λογαριασμός χρήστη δεν έχει ακόμη αριθμό κινητού,
εισαγάγετέ τον πρώτα· το PIN αποστέλλεται με SMS μόνο σε αυτόν τον αριθμό.

Μετά την ενεργοποίηση, το PIN εμφανίζεται σε μια μπάρα στο κάτω μέρος κάθε σελίδας.
**Αλλάζει κάθε μισή ώρα**, και μετά από έναν επιτυχημένο έλεγχο αλλάζει αμέσως, ώστε ένα
PIN που ειπώθηκε στο τηλέφωνο να μην μπορεί να ξαναχρησιμοποιηθεί. Δεν είστε
συνδεδεμένοι; Ζητήστε το με SMS από την ίδια σελίδα.

Ο κάτοχος του εταιρικού λογαριασμού ορίζει ποιοι λογαριασμοί χρήστη μπορούν να
χρησιμοποιούν το PIN, από τη σελίδα **Άτομα και δικαιώματα**.""",
            ),
            "it": (
                "Il Support PIN: che cos'è e come attivarlo",
                "Un codice di 6 cifre che dimostra che è davvero Lei quando ci telefona.",
                """Quando ci telefona, dobbiamo sapere che è davvero Lei prima di intervenire sui Suoi
servizi. Il **Support PIN** è un codice di 6 cifre che solo Lei vede dopo aver effettuato
l'accesso.

**Per attivarlo:** scelga **Support PIN** nel menu in alto (*Servizi via cellulare*),
poi **Attiva**. Se la Sua utenza non ha ancora un numero di cellulare, lo inserisca
prima: il PIN viene inviato via SMS solo a quel numero.

Una volta attivo, il PIN compare in una barra in fondo a ogni pagina. **Cambia ogni
mezz'ora** e, dopo una verifica riuscita, cambia subito: un PIN letto al telefono non può
essere riutilizzato. Non ha effettuato l'accesso? Lo chieda via SMS dalla stessa pagina.

Il titolare dell'account aziendale decide quali utenze possono usare il PIN, in
**Persone e permessi**.""",
            ),
            "sk": (
                "Support PIN: čo to je a ako ho aktivovať",
                "Šesťmiestny kód, ktorý pri telefonáte dokazuje, že ste to naozaj Vy.",
                """Keď nám zavoláte, musíme vedieť, že ste to naozaj Vy, skôr než urobíme čokoľvek
s Vašimi službami. **Support PIN** je šesťmiestny kód, ktorý vidíte iba Vy po
prihlásení.

**Aktivácia:** v hornej ponuke zvoľte **Support PIN** (*Mobilné služby*) a potom
**Aktivovať**. Ak Vaše používateľské konto ešte nemá číslo mobilu, najprv ho zadajte;
PIN posielame SMS správou iba na toto číslo.

Po aktivácii sa PIN zobrazuje v lište v dolnej časti každej stránky. **Mení sa každú
pol hodinu** a po úspešnom overení sa zmení hneď, takže PIN prečítaný do telefónu sa už
nedá použiť znova. Nie ste prihlásený? Vyžiadajte si ho SMS správou z tej istej stránky.

Vlastník zákazníckeho konta rozhoduje, ktoré používateľské kontá môžu PIN používať, na
stránke **Ľudia a práva**.""",
            ),
        },
    },
    {
        "slug": "support-pin-actions",
        "section": "security",
        "related": ["support-pin"],
        "versions": {
            "en": (
                "What support can do for you on the phone with your Support PIN",
                "The ten kinds of action we carry out once your PIN is confirmed, each one recorded and notified.",
                """After confirming your Support PIN, an agent may carry out these actions for you:

1. a new service order paid by bank transfer;
2. a service renewal paid by bank transfer;
3. a service upgrade paid by bank transfer;
4. changes to the DNS records of a domain name;
5. a change of the nameservers of a domain name;
6. revoking a .GR domain name within 5 days of its registration;
7. sending the order details to the domain's administrator or owner for payment;
8. changing the domain's administrator, after the administrator confirms by phone;
9. changing the Plesk settings of a hosting package;
10. small fixes to a hosting package.

Every action is recorded, you receive an email about it, and you can see the whole list
under *Support PIN*, *Actions done for you by support*.""",
            ),
            "el": (
                "Τι μπορεί να κάνει η υποστήριξη για εσάς τηλεφωνικά με το Support PIN",
                "Οι δέκα κατηγορίες ενεργειών που εκτελούμε μόλις επιβεβαιωθεί το PIN σας· η καθεμία καταγράφεται και σας γνωστοποιείται.",
                """Αφού επιβεβαιώσει το Support PIN σας, ένας εκπρόσωπος μπορεί να κάνει για εσάς τις
εξής ενέργειες:

1. νέα παραγγελία υπηρεσίας με εξόφληση μέσω τραπεζικής κατάθεσης·
2. ανανέωση υπηρεσίας με εξόφληση μέσω τραπεζικής κατάθεσης·
3. αναβάθμιση υπηρεσίας με εξόφληση μέσω τραπεζικής κατάθεσης·
4. αλλαγές στις εγγραφές DNS ενός ονόματος χώρου·
5. αλλαγή των διακομιστών ονομάτων ενός ονόματος χώρου·
6. ανάκληση ονόματος χώρου .GR μέσα σε 5 ημέρες από την καταχώρισή του·
7. αποστολή των στοιχείων της παραγγελίας στον διαχειριστή ή τον κάτοχο του ονόματος
   χώρου για να την εξοφλήσει·
8. αλλαγή διαχειριστή του ονόματος χώρου, αφού ο διαχειριστής την επιβεβαιώσει
   τηλεφωνικά·
9. αλλαγή ρυθμίσεων Plesk ενός πακέτου φιλοξενίας·
10. μικροδιορθώσεις σε ένα πακέτο φιλοξενίας.

Κάθε ενέργεια καταγράφεται, λαμβάνετε σχετικό email και βλέπετε ολόκληρη τη λίστα στο
*Support PIN*, στις *Ενέργειες της υποστήριξης για λογαριασμό σας*.""",
            ),
            "it": (
                "Che cosa può fare l'assistenza per Lei al telefono con il Support PIN",
                "Le dieci operazioni che svolgiamo dopo aver verificato il Suo PIN, ognuna registrata e notificata.",
                """Dopo aver verificato il Suo Support PIN, un operatore può svolgere per Lei queste
operazioni:

1. un nuovo ordine di servizio pagato con bonifico bancario;
2. il rinnovo di un servizio pagato con bonifico bancario;
3. il potenziamento di un servizio pagato con bonifico bancario;
4. modifiche ai record DNS di un nome di dominio;
5. il cambio dei nameserver di un nome di dominio;
6. la revoca di un nome di dominio .GR entro 5 giorni dalla registrazione;
7. l'invio dei dettagli dell'ordine all'amministratore o al titolare del dominio per il
   pagamento;
8. il cambio dell'amministratore del dominio, dopo la sua conferma telefonica;
9. modifiche alle impostazioni Plesk di un pacchetto di hosting;
10. piccoli interventi su un pacchetto di hosting.

Ogni operazione viene registrata, Lei riceve un'e-mail e può vedere l'elenco completo nel
*Support PIN*, alla voce *Interventi eseguiti per Lei dal supporto*.""",
            ),
            "sk": (
                "Čo pre Vás môže podpora urobiť po telefóne so Support PIN",
                "Desať druhov úkonov, ktoré vykonáme po overení Vášho PIN; každý zaznamenáme a oznámime Vám ho.",
                """Po overení Vášho Support PIN môže pracovník podpory vykonať pre Vás tieto úkony:

1. novú objednávku služby platenú bankovým prevodom;
2. predĺženie služby platené bankovým prevodom;
3. rozšírenie služby platené bankovým prevodom;
4. zmeny DNS záznamov domény;
5. zmenu menných serverov (nameserverov) domény;
6. zrušenie domény .GR do 5 dní od jej registrácie;
7. odoslanie údajov objednávky správcovi alebo vlastníkovi domény na úhradu;
8. zmenu správcu domény po jeho telefonickom potvrdení;
9. zmenu nastavení Plesk webhostingového balíka;
10. drobné opravy webhostingového balíka.

Každý úkon sa zaznamená, dostanete o ňom e-mail a celý zoznam nájdete v časti
*Support PIN*, *Úkony, ktoré pre Vás vykonala podpora*.""",
            ),
        },
    },
    {
        "slug": "reporting-a-problem",
        "section": "requests",
        "related": ["priorities", "response-times"],
        "versions": {
            "en": (
                "How to report a problem so we can solve it quickly",
                "Say what happened, how to repeat it, on which browser and device, and attach screenshots.",
                """Log in and choose **My requests**, then **New request**. A good request has:

- a **subject** that names the problem ("Mail to gmail.com bounces with 550");
- the right **category**: *Bug* when something works wrongly, *Error* when you get an
  error message, *Suggestion* for an idea, or the service concerned;
- the **steps** that lead to the problem, what you expected and what happened instead;
- your **browser and device** (the form fills them in for you; correct them if needed);
- **screenshots** or log files, attached to the request.

Choose the **priority** by what the problem stops you from doing. Keep the reference
number (such as T-26-00123): it is in the subject of every email about the request.""",
            ),
            "el": (
                "Πώς αναφέρετε ένα πρόβλημα ώστε να το λύσουμε γρήγορα",
                "Γράψτε τι συνέβη, πώς επαναλαμβάνεται, σε ποιο πρόγραμμα περιήγησης και συσκευή, και επισυνάψτε στιγμιότυπα οθόνης.",
                """Συνδεθείτε και επιλέξτε **Τα αιτήματά μου** και έπειτα **Νέο αίτημα**. Ένα καλό
αίτημα έχει:

- **θέμα** που ονομάζει το πρόβλημα («Τα email προς gmail.com επιστρέφουν με 550»)·
- τη σωστή **κατηγορία**: *Σφάλμα λογισμικού* όταν κάτι λειτουργεί λάθος, *Σφάλμα* όταν
  εμφανίζεται μήνυμα σφάλματος, *Πρόταση* για μια ιδέα, ή την υπηρεσία που αφορά·
- τα **βήματα** που οδηγούν στο πρόβλημα, τι περιμένατε και τι έγινε αντί γι' αυτό·
- το **πρόγραμμα περιήγησης και τη συσκευή** σας (η φόρμα τα συμπληρώνει· διορθώστε τα
  αν χρειάζεται)·
- **στιγμιότυπα οθόνης** ή αρχεία καταγραφής, ως συνημμένα.

Επιλέξτε την **προτεραιότητα** ανάλογα με το τι σας εμποδίζει να κάνετε το πρόβλημα.
Κρατήστε τον αριθμό αναφοράς (π.χ. T-26-00123): υπάρχει στο θέμα κάθε email για το
αίτημα.""",
            ),
            "it": (
                "Come segnalare un problema perché lo risolviamo in fretta",
                "Indichi che cosa è successo, come riprodurlo, con quale browser e dispositivo, e alleghi delle schermate.",
                """Acceda e scelga **Le mie richieste**, poi **Nuova richiesta**. Una buona richiesta
contiene:

- un **oggetto** che nomina il problema («Le e-mail verso gmail.com tornano indietro con
  550»);
- la **categoria** giusta: *Anomalia* quando qualcosa funziona male, *Errore* quando
  compare un messaggio di errore, *Suggerimento* per un'idea, oppure il servizio
  interessato;
- i **passaggi** che portano al problema, che cosa si aspettava e che cosa è successo;
- il Suo **browser e dispositivo** (il modulo li compila per Lei; li corregga se serve);
- **schermate** o file di log, allegati alla richiesta.

Scelga la **priorità** in base a ciò che il problema Le impedisce di fare. Conservi il
numero di riferimento (ad esempio T-26-00123): compare nell'oggetto di ogni e-mail sulla
richiesta.""",
            ),
            "sk": (
                "Ako nahlásiť problém, aby sme ho rýchlo vyriešili",
                "Napíšte, čo sa stalo, ako to zopakovať, v akom prehliadači a zariadení, a priložte snímky obrazovky.",
                """Prihláste sa a zvoľte **Moje požiadavky** a potom **Nová požiadavka**. Dobrá
požiadavka obsahuje:

- **predmet**, ktorý problém pomenuje („E-maily na gmail.com sa vracajú s chybou 550“);
- správnu **kategóriu**: *Softvérová chyba*, keď niečo funguje nesprávne, *Chyba*, keď
  sa zobrazí chybové hlásenie, *Návrh* pre nápad, alebo dotknutú službu;
- **kroky**, ktoré k problému vedú, čo ste očakávali a čo sa stalo namiesto toho;
- Váš **prehliadač a zariadenie** (formulár ich vyplní za Vás; v prípade potreby ich
  opravte);
- **snímky obrazovky** alebo súbory záznamov ako prílohy.

**Prioritu** zvoľte podľa toho, čo Vám problém bráni robiť. Uschovajte si referenčné
číslo (napríklad T-26-00123): je v predmete každého e-mailu k požiadavke.""",
            ),
        },
    },
    {
        "slug": "priorities",
        "section": "requests",
        "related": ["response-times", "reporting-a-problem"],
        "versions": {
            "en": (
                "Choosing the priority of a request",
                "Five priorities, from a general question to the whole business stopped.",
                """Each request has one of five priorities: **Low**, **Normal**, **High**, **Urgent**
and **Critical**. The form shows the definition of each next to it, and so does the page
[Priorities and what they mean](/help/priorities/).

In short: the more of your work a problem stops, the higher the priority. A question is
*Low*; a problem that stops you working is *High*; a server or mail server failing for
several people is *Urgent*; the whole business stopped is *Critical*, which we handle
around the clock.

Please choose honestly: an exaggerated priority delays the customers whose business
really has stopped. An agent may change the priority, and you see it on the request.""",
            ),
            "el": (
                "Επιλογή της προτεραιότητας ενός αιτήματος",
                "Πέντε προτεραιότητες, από μια γενική ερώτηση έως μια επιχείρηση που έχει σταματήσει.",
                """Κάθε αίτημα έχει μία από πέντε προτεραιότητες: **Χαμηλή**, **Κανονική**, **Υψηλή**,
**Επείγουσα** και **Κρίσιμη**. Η φόρμα δείχνει δίπλα σε καθεμία τον ορισμό της, όπως και
η σελίδα [Οι προτεραιότητες και τι σημαίνουν](/help/priorities/).

Με λίγα λόγια: όσο περισσότερο σας σταματά ένα πρόβλημα από τη δουλειά σας, τόσο
υψηλότερη η προτεραιότητα. Μια ερώτηση είναι *Χαμηλή*· ένα πρόβλημα που σας εμποδίζει
να εργαστείτε είναι *Υψηλή*· ένας διακομιστής ή διακομιστής αλληλογραφίας που δεν
λειτουργεί για αρκετά άτομα είναι *Επείγουσα*· όταν έχει σταματήσει όλη η επιχείρηση,
είναι *Κρίσιμη* και την αντιμετωπίζουμε όλο το εικοσιτετράωρο.

Παρακαλούμε επιλέγετε με ειλικρίνεια: μια υπερβολική προτεραιότητα καθυστερεί τους
πελάτες των οποίων η επιχείρηση έχει πράγματι σταματήσει. Ένας εκπρόσωπος μπορεί να
αλλάξει την προτεραιότητα, και το βλέπετε στο αίτημα.""",
            ),
            "it": (
                "Scegliere la priorità di una richiesta",
                "Cinque priorità, da una domanda generica all'intera azienda ferma.",
                """Ogni richiesta ha una di cinque priorità: **Bassa**, **Normale**, **Alta**,
**Urgente** e **Critica**. Il modulo mostra accanto a ciascuna la sua definizione, come
la pagina [Le priorità e il loro significato](/help/priorities/).

In breve: più un problema ferma il Suo lavoro, più alta è la priorità. Una domanda è
*Bassa*; un problema che Le impedisce di lavorare è *Alta*; un server o un server di
posta guasto per più persone è *Urgente*; l'intera azienda ferma è *Critica*, e la
gestiamo a qualsiasi ora.

La preghiamo di scegliere con onestà: una priorità esagerata ritarda i clienti la cui
attività è davvero ferma. Un operatore può cambiare la priorità, e Lei lo vede nella
richiesta.""",
            ),
            "sk": (
                "Voľba priority požiadavky",
                "Päť priorít, od všeobecnej otázky až po zastavenú celú firmu.",
                """Každá požiadavka má jednu z piatich priorít: **Nízka**, **Normálna**, **Vysoká**,
**Urgentná** a **Kritická**. Formulár pri každej zobrazuje jej definíciu, rovnako ako
stránka [Priority a ich význam](/help/priorities/).

Stručne: čím viac Vám problém bráni v práci, tým vyššia priorita. Otázka je *Nízka*;
problém, ktorý Vám bráni pracovať, je *Vysoká*; server alebo poštový server, ktorý
nefunguje viacerým ľuďom, je *Urgentná*; celá firma zastavená je *Kritická* a riešime
ju nepretržite.

Prosíme, voľte poctivo: prehnaná priorita zdržiava zákazníkov, ktorých firma naozaj
stojí. Pracovník podpory môže prioritu zmeniť a Vy to v požiadavke uvidíte.""",
            ),
        },
    },
    {
        "slug": "response-times",
        "section": "requests",
        "related": ["priorities", "opening-hours"],
        "versions": {
            "en": (
                "How soon we answer: response times per plan",
                "Your plan and the priority set the time of our first answer; critical incidents count around the clock.",
                """How soon we answer depends on your plan (**Basic**, **Premium** or **Business**) and
the priority of the request. The current targets are in the table on
[Contact and hours](/help/contact/), and the new-request form shows the ones of your
plan.

- The time counts in **business hours**, except for *Critical* requests, which count
  around the clock.
- It starts when you open the request, and again whenever you write and wait for us.
- Each request shows when its answer is due.

A request sent on Friday evening is therefore answered within business hours from
Monday morning, unless it is critical.""",
            ),
            "el": (
                "Πόσο γρήγορα απαντάμε: χρόνοι απόκρισης ανά πρόγραμμα",
                "Το πρόγραμμά σας και η προτεραιότητα ορίζουν πότε θα λάβετε την πρώτη απάντηση· τα κρίσιμα περιστατικά μετρούν όλο το εικοσιτετράωρο.",
                """Το πόσο γρήγορα απαντάμε εξαρτάται από το πρόγραμμά σας (**Basic**, **Premium** ή
**Business**) και από την προτεραιότητα του αιτήματος. Οι τρέχοντες στόχοι βρίσκονται
στον πίνακα της σελίδας [Επικοινωνία και ωράριο](/help/contact/), και η φόρμα νέου
αιτήματος δείχνει αυτούς του δικού σας προγράμματος.

- Ο χρόνος μετρά σε **ώρες λειτουργίας**, εκτός από τα αιτήματα *Κρίσιμης*
  προτεραιότητας, που μετρούν όλο το εικοσιτετράωρο.
- Ξεκινά όταν ανοίγετε το αίτημα, και ξανά κάθε φορά που μας γράφετε και περιμένετε
  απάντηση.
- Κάθε αίτημα δείχνει έως πότε οφείλεται η απάντηση.

Έτσι, ένα αίτημα που στέλνεται Παρασκευή βράδυ απαντάται μέσα στις ώρες λειτουργίας από
το πρωί της Δευτέρας, εκτός αν είναι κρίσιμο.""",
            ),
            "it": (
                "Entro quando rispondiamo: tempi di risposta per piano",
                "Il Suo piano e la priorità fissano i tempi della prima risposta; gli incidenti critici contano a qualsiasi ora.",
                """Il tempo di risposta dipende dal Suo piano (**Basic**, **Premium** o **Business**) e
dalla priorità della richiesta. Gli obiettivi in vigore sono nella tabella della pagina
[Contatti e orari](/help/contact/), e il modulo di nuova richiesta mostra quelli del
Suo piano.

- Il tempo si conta in **orario lavorativo**, tranne per le richieste *Critiche*, che
  contano a qualsiasi ora.
- Parte quando Lei apre la richiesta, e di nuovo ogni volta che ci scrive e attende.
- Ogni richiesta mostra la scadenza della risposta.

Una richiesta inviata il venerdì sera riceve quindi risposta in orario lavorativo a
partire dal lunedì mattina, a meno che non sia critica.""",
            ),
            "sk": (
                "Ako rýchlo odpovedáme: reakčné časy podľa programu",
                "Váš program a priorita určujú čas prvej odpovede; kritické incidenty sa počítajú nepretržite.",
                """Ako rýchlo odpovieme, závisí od Vášho programu (**Basic**, **Premium** alebo
**Business**) a od priority požiadavky. Aktuálne ciele nájdete v tabuľke na stránke
[Kontakt a otváracie hodiny](/help/contact/) a formulár novej požiadavky ukazuje ciele
Vášho programu.

- Čas sa počíta v **pracovných hodinách**, okrem *Kritických* požiadaviek, ktoré sa
  počítajú nepretržite.
- Začína plynúť, keď požiadavku otvoríte, a znova vždy, keď nám napíšete a čakáte.
- Pri každej požiadavke vidíte termín odpovede.

Požiadavku odoslanú v piatok večer preto zodpovieme v pracovných hodinách od pondelka
rána, ak nie je kritická.""",
            ),
        },
    },
    {
        "slug": "opening-hours",
        "section": "requests",
        "related": ["response-times"],
        "versions": {
            "en": (
                "Opening hours and public holidays",
                "We work on weekdays, Greek time, and close on Greek public holidays.",
                """Our support works **Monday to Friday, Greek time**, and is closed on **Greek
public holidays**: these include days whose date changes every year, such as Green
Monday, Good Friday, Easter Monday and Whit Monday. The hours, and every day we are
closed this year and next, are on [Contact and hours](/help/contact/).

You can open a request at any time, also outside these hours and on holidays; the time
to our answer counts from the next opening. *Critical* requests are handled around the
clock.""",
            ),
            "el": (
                "Ωράριο λειτουργίας και αργίες",
                "Λειτουργούμε τις καθημερινές, ώρα Ελλάδας, και είμαστε κλειστά τις επίσημες αργίες της Ελλάδας.",
                """Η υποστήριξή μας λειτουργεί **Δευτέρα έως Παρασκευή, ώρα Ελλάδας**, και είναι
κλειστή τις **επίσημες αργίες της Ελλάδας**, ανάμεσά τους και σε κινητές γιορτές όπως η
Καθαρά Δευτέρα, η Μεγάλη Παρασκευή, η Δευτέρα του Πάσχα και του Αγίου Πνεύματος. Το
ωράριο και κάθε ημέρα που είμαστε κλειστά φέτος και του χρόνου θα τα βρείτε στη σελίδα
[Επικοινωνία και ωράριο](/help/contact/).

Μπορείτε να ανοίξετε αίτημα οποιαδήποτε στιγμή, και εκτός ωραρίου ή σε αργία· ο χρόνος
μέχρι την απάντησή μας μετρά από την επόμενη ώρα λειτουργίας. Τα αιτήματα *Κρίσιμης*
προτεραιότητας τα αντιμετωπίζουμε όλο το εικοσιτετράωρο.""",
            ),
            "it": (
                "Orari e giorni festivi",
                "Lavoriamo nei giorni feriali, ora greca, e siamo chiusi nelle festività nazionali greche.",
                """La nostra assistenza lavora **dal lunedì al venerdì, ora greca**, ed è chiusa nelle
**festività nazionali greche**, comprese quelle la cui data cambia ogni anno, come il
Lunedì puro, il Venerdì santo, il Lunedì dell'Angelo e il Lunedì di Pentecoste ortodossi.
Gli orari e tutti i giorni di chiusura di quest'anno e del prossimo sono nella pagina
[Contatti e orari](/help/contact/).

Può aprire una richiesta in qualsiasi momento, anche fuori orario e nei festivi; il tempo
di risposta si conta dalla successiva apertura. Le richieste *Critiche* sono gestite a
qualsiasi ora.""",
            ),
            "sk": (
                "Otváracie hodiny a sviatky",
                "Pracujeme v pracovné dni podľa gréckeho času a počas gréckych štátnych sviatkov máme zatvorené.",
                """Naša podpora pracuje **od pondelka do piatka podľa gréckeho času** a počas **gréckych
štátnych sviatkov** má zatvorené; patria k nim aj pohyblivé sviatky, ako Čistý pondelok,
Veľký piatok, Veľkonočný pondelok a Svätodušný pondelok podľa pravoslávneho kalendára.
Hodiny a všetky dni, keď máme tento a budúci rok zatvorené, nájdete na stránke
[Kontakt a otváracie hodiny](/help/contact/).

Požiadavku môžete otvoriť kedykoľvek, aj mimo pracovných hodín a cez sviatky; čas do
našej odpovede sa počíta od najbližšieho otvorenia. *Kritické* požiadavky riešime
nepretržite.""",
            ),
        },
    },
    {
        "slug": "verifying-a-caller",
        "section": "staff-procedures",
        "internal": True,
        "related": ["support-pin-actions"],
        "versions": {
            "en": (
                "How to verify a caller before acting",
                "Staff procedure: the Support PIN check in the admin, and what never to do on the phone.",
                """1. Open **Support PIN → Verify a caller** in the admin.
2. Find the login by contract number, username, email or mobile (exact match).
3. Ask the caller to read out the PIN from the bar at the bottom of their portal. Never
   read a PIN to them, and never ask for their password.
4. No PIN at hand? Use **Send the PIN to the registered mobile**; never send it to a
   number given on the phone.
5. Once verified, record every action you carry out with **Record an action**.

A locked login cannot be verified: ask the customer to log in and generate a new PIN.
Replies about the account go only to the registered email address.""",
            ),
            "el": (
                "Πώς επιβεβαιώνουμε την ταυτότητα καλούντος πριν ενεργήσουμε",
                "Διαδικασία προσωπικού: ο έλεγχος του Support PIN στη διαχείριση και τι δεν κάνουμε ποτέ τηλεφωνικά.",
                """1. Ανοίξτε **Support PIN → Ταυτοποίηση καλούντος** στη διαχείριση.
2. Βρείτε τον λογαριασμό χρήστη με αριθμό σύμβασης, όνομα χρήστη, email ή κινητό
   (ακριβής αντιστοίχιση).
3. Ζητήστε από τον καλούντα να διαβάσει το PIN από τη μπάρα στο κάτω μέρος της πύλης.
   Μην του διαβάζετε ποτέ εσείς PIN και μη ζητάτε ποτέ τον κωδικό πρόσβασής του.
4. Δεν έχει το PIN; Χρησιμοποιήστε την **Αποστολή του PIN στο καταχωρημένο κινητό**·
   ποτέ σε αριθμό που δίνεται στο τηλέφωνο.
5. Μετά την επαλήθευση, καταγράψτε κάθε ενέργεια με **Καταγραφή ενέργειας**.

Ένας κλειδωμένος λογαριασμός χρήστη δεν επαληθεύεται: ζητήστε από τον πελάτη να
συνδεθεί και να δημιουργήσει νέο PIN. Οι απαντήσεις για τον λογαριασμό πηγαίνουν μόνο
στο καταχωρισμένο email.""",
            ),
            "it": (
                "Come verificare chi chiama prima di intervenire",
                "Procedura per il personale: la verifica del Support PIN nell'amministrazione e ciò che non si fa mai al telefono.",
                """1. Aprire **Support PIN → Verifica chiamante** nell'amministrazione.
2. Trovare l'utenza per numero di contratto, nome utente, e-mail o cellulare
   (corrispondenza esatta).
3. Chiedere al chiamante di leggere il PIN dalla barra in fondo al portale. Non leggere
   mai un PIN al chiamante e non chiedere mai la password.
4. Il chiamante non ha il PIN? Usare **Invia il PIN al cellulare registrato**; mai a un
   numero dettato al telefono.
5. Dopo la verifica, registrare ogni operazione svolta con **Registra un'operazione**.

Un'utenza bloccata non si può verificare: chiedere al cliente di accedere e generare un
nuovo PIN. Le risposte sull'account vanno solo all'indirizzo e-mail registrato.""",
            ),
            "sk": (
                "Ako overiť volajúceho pred vykonaním úkonu",
                "Postup pre zamestnancov: kontrola Support PIN v administrácii a čo po telefóne nikdy nerobiť.",
                """1. V administrácii otvorte **Support PIN → Overiť volajúceho**.
2. Nájdite používateľské konto podľa čísla zmluvy, prihlasovacieho mena, e-mailu alebo
   mobilu (presná zhoda).
3. Požiadajte volajúceho, aby prečítal PIN z lišty v dolnej časti portálu. Nikdy mu PIN
   nečítajte Vy a nikdy nežiadajte jeho heslo.
4. Volajúci PIN nemá? Použite **Poslať PIN na registrované mobilné číslo**; nikdy nie na číslo
   nadiktované do telefónu.
5. Po overení zaznamenajte každý vykonaný úkon pomocou **Zaznamenať úkon**.

Zablokované používateľské konto sa nedá overiť: požiadajte zákazníka, aby sa prihlásil a
vygeneroval nový PIN. Odpovede o konte posielame iba na registrovaný e-mail.""",
            ),
        },
    },
]


def load_starter_articles() -> int:
    """Create and publish the sections and articles that are missing; return how many
    articles were created. Existing ones are left as staff made them."""
    from django.db import transaction

    from helpcentre import services
    from helpcentre.models import Article, ArticleEvent, ArticleVersion, Section

    created = 0
    with transaction.atomic():
        sections = {}
        for slug, position, names in SECTIONS:
            sections[slug], _new = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "position": position,
                    "name": names["en"],
                    **{f"name_{code}": name for code, name in names.items() if code != "en"},
                },
            )
        articles = {}
        for position, spec in enumerate(ARTICLES, start=1):
            article, new = Article.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "section": sections[spec["section"]],
                    "position": position,
                    "is_internal": spec.get("internal", False),
                    "status": Article.Status.PUBLISHED,
                },
            )
            articles[spec["slug"]] = (article, new)
            if not new:
                continue
            created += 1
            for language, (title, summary, body) in spec["versions"].items():
                services.article_version_save(
                    version=ArticleVersion(
                        article=article,
                        language=language,
                        title=title,
                        summary=summary,
                        body=body,
                    ),
                    acting_user=None,
                )
            ArticleEvent.objects.create(article=article, kind=ArticleEvent.Kind.PUBLISHED)
        for spec in ARTICLES:
            article, new = articles[spec["slug"]]
            if new:
                article.related.add(*(articles[slug][0] for slug in spec["related"]))
    return created
