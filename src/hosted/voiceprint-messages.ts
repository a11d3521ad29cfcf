import type { Messages } from './i18n.ts';

export type VoiceprintMessageKey =
  // The phrase a voiceprint enrolled on these pages is recorded with, per language.
  | 'passPhrase'
  | 'friendlyName'
  // The recording page.
  | 'enrollTitle'
  | 'verifyTitle'
  | 'enrollLead'
  | 'verifyLead'
  | 'sayThisPhrase'
  | 'sayYourPhrase'
  | 'quotedPhrase'
  | 'unknownPhrase'
  | 'takeOf'
  | 'continue'
  | 'anotherMethod'
  | 'recordTitle'
  | 'yourVoice'
  | 'level'
  | 'silent'
  | 'statusIdle'
  | 'noScript'
  | 'record'
  | 'stop'
  | 'cancel'
  | 'noticeTitle'
  | 'backToSetup'
  // What to do instead, completing a sentence ("…, or {fallback}") or as a sentence of its own.
  | 'fallbackEnroll'
  | 'fallbackVerify'
  | 'fallbackSentenceEnroll'
  | 'fallbackSentenceVerify'
  // The page's script (handed over in data-msg-* attributes; {placeholders} are the script's to fill).
  | 'jsTakeProgress'
  | 'jsAllTakes'
  | 'jsNoAudio'
  | 'jsMicBlocked'
  | 'jsNoMic'
  | 'jsCouldNotStart'
  | 'jsUnknownError'
  | 'jsPressRecord'
  | 'jsStarting'
  | 'jsRecording'
  | 'jsChecking'
  | 'jsNetwork'
  | 'jsServerError'
  | 'jsMatched'
  | 'jsAllTakesDone'
  | 'jsSetUp'
  | 'jsStoppedEnroll'
  | 'jsStoppedVerify'
  | 'jsTakeSaved'
  | 'jsTryAgain'
  // Quality problems of a recording (src/factors/voiceprint/quality).
  | 'tooShort'
  | 'tooQuiet'
  | 'clipped'
  | 'tooNoisy'
  | 'mostlySilence'
  | 'unusable'
  // Sign-in.
  | 'wait'
  | 'retryIn'
  | 'notAccepted'
  | 'notPart'
  | 'unavailableNow'
  | 'pausedFor'
  | 'tooManyChecks'
  | 'attemptsLeft'
  | 'noCheck'
  | 'unreadableVerify'
  | 'paused'
  | 'tooManyRecordings'
  | 'expired'
  | 'gone'
  | 'replay'
  | 'mismatchLocked'
  | 'mismatchNoneLeft'
  | 'mismatchAgain'
  // Set-up.
  | 'setupCompleted'
  | 'notOffered'
  | 'setupAccountChanged'
  | 'needsAnotherFactor'
  | 'unavailable'
  | 'tooManyFactors'
  | 'noSetup'
  | 'setUpDone'
  | 'unreadableEnroll'
  | 'dropped'
  // The upload routes.
  | 'tooLong'
  | 'notWav'
  | 'noRecording'
  | 'stalePage';

const wait = (seconds: number, minutes: (n: number) => string, secs: (n: number) => string): string => (seconds >= 120 ? minutes(Math.ceil(seconds / 60)) : secs(seconds));

/** The hosted voice pages (recording page, set-up notice), their script and the upload answers, in every page language. */
export const VOICEPRINT_MESSAGES: Messages<VoiceprintMessageKey> = {
  en: {
    passPhrase: 'My voice is my password, verify me',
    friendlyName: 'Voice',
    enrollTitle: 'Set up voice sign-in',
    verifyTitle: 'Sign in with your voice',
    enrollLead: 'Record the phrase below {needed} times, in your normal voice, somewhere quiet. Your voice then works as a second factor for {app}.',
    verifyLead: 'Say your pass phrase to confirm your sign-in to {app}.',
    sayThisPhrase: 'Say this phrase:',
    sayYourPhrase: 'Say your phrase:',
    quotedPhrase: '“{phrase}”',
    unknownPhrase: 'Say the pass phrase you recorded when you set up your voice.',
    takeOf: 'Take {take} of {needed}',
    continue: 'Continue',
    anotherMethod: 'Set up another method instead',
    recordTitle: 'Record your voice',
    yourVoice: 'Your voice',
    level: 'Microphone level',
    silent: 'silent',
    statusIdle: 'Press Record, then say the phrase. Recording stops by itself when you finish.',
    noScript: 'Recording your voice needs JavaScript and a microphone. {fallback}',
    record: 'Record',
    stop: 'Stop',
    cancel: 'Cancel and go back to {app}',
    noticeTitle: 'Voice sign-in cannot be set up yet',
    backToSetup: 'Back to set-up',
    fallbackEnroll: 'set up another method.',
    fallbackVerify: 'use “Try another way”.',
    fallbackSentenceEnroll: 'Set up another method instead.',
    fallbackSentenceVerify: 'Use “Try another way”.',
    jsTakeProgress: 'Take {take} of {needed} ({saved} saved)',
    jsAllTakes: 'All {needed} takes recorded',
    jsNoAudio: 'This browser cannot record audio here. {fallback}',
    jsMicBlocked: 'Microphone access was blocked. Allow the microphone for this page in your browser, or {fallback}',
    jsNoMic: 'No microphone was found. Connect one and try again, or {fallback}',
    jsCouldNotStart: 'Recording could not start ({error}). Try again, or {fallback}',
    jsUnknownError: 'unknown error',
    jsPressRecord: 'Press Record, then say the phrase.',
    jsStarting: 'Starting the microphone…',
    jsRecording: 'Recording… say the phrase now.',
    jsChecking: 'Checking your voice…',
    jsNetwork: 'The recording could not be sent (network problem). Try again.',
    jsServerError: 'Something went wrong on our side ({status}). Try again, or {fallback}',
    jsMatched: 'Your voice matched. Returning to the application…',
    jsAllTakesDone: 'All takes recorded',
    jsSetUp: 'Your voice is set up.',
    jsStoppedEnroll: 'Voice set-up cannot continue here. Set up another method instead.',
    jsStoppedVerify: 'Voice sign-in cannot continue here. Use “Try another way”.',
    jsTakeSaved: 'Take {saved} saved. Press Record for the next take.',
    jsTryAgain: 'Press Record to try again.',
    tooShort: 'The recording was too short: press Record, say the whole phrase, and let it stop by itself.',
    tooQuiet: 'We could hardly hear you: move closer to the microphone or speak a little louder.',
    clipped: 'The recording was too loud and distorted: hold the microphone a little further away.',
    tooNoisy: 'There is too much background noise: move somewhere quieter and try again.',
    mostlySilence: 'We heard mostly silence: start speaking right after you press Record.',
    unusable: 'The recording could not be used. Please record again.',
    wait: (p) => wait(Number(p['seconds']), (n) => `${n} minutes`, (n) => (n === 1 ? '1 second' : `${n} seconds`)),
    retryIn: ' Try again in {wait}.',
    notAccepted: 'The application does not accept voice sign-in for this sign-in.',
    notPart: 'This voice is not part of this sign-in. Start again from the application.',
    unavailableNow: 'Voice sign-in is not available on this server right now. Use another method.',
    pausedFor: 'Voice sign-in is paused after too many mismatches in a row. Try again in {wait}, or use another method.',
    tooManyChecks: 'Too many voice checks were started for your account. Use another method.',
    attemptsLeft: (p) => {
      const left = Number(p['left']);
      return left === 0 ? 'No attempts left here: use another method.' : `${left} attempt${left === 1 ? '' : 's'} left.`;
    },
    noCheck: 'No voice check was started on this page. Start again from the application.',
    unreadableVerify: 'We could not read that recording. Please record again (if it keeps failing, use another method).',
    paused: 'Voice sign-in is paused after too many mismatches in a row.{retry} Meanwhile, use another method.',
    tooManyRecordings: 'Too many recordings for this sign-in. Use another method.',
    expired: 'This voice check has expired or was already answered. Choose “Try another way” to start a new one or use another method.',
    gone: 'This voice check no longer exists. Choose “Try another way” to start again.',
    replay: 'This recording sounds like one we have heard before (a possible replay), so this voice check was refused. Use another method.',
    mismatchLocked: 'Your voice did not match. Voice sign-in is now paused for {wait} after too many mismatches in a row: use another method.',
    mismatchNoneLeft: 'Your voice did not match. {attempts}',
    mismatchAgain: 'Your voice did not match. Say the phrase again, clearly and at your usual pace. {attempts}',
    setupCompleted: 'This set-up was already completed. Start again from the application.',
    notOffered: 'The application does not offer voice sign-in.',
    setupAccountChanged: 'This account changed since the set-up started. Start again from the application.',
    needsAnotherFactor:
      'Voice sign-in can only be added once you have another way to sign in (an authenticator app, a passkey, your phone or recovery codes): a voice is never your only factor. Set up one of those first.',
    unavailable: 'Voice sign-in is not available on this server. Choose another method.',
    tooManyFactors: 'Too many sign-in methods were added for your account. Try again later.',
    noSetup: 'No voice set-up was started on this page. Start again from the set-up page.',
    setUpDone: 'Your voice is set up. You can now sign in by saying your phrase.',
    unreadableEnroll: 'We could not read that recording. Please record again.',
    dropped: 'One take did not sound like the others, so it was dropped: say the same phrase again, the same way.',
    tooLong: 'The recording is too long. Record just the phrase (a few seconds) and try again.',
    notWav: 'The recording must be sent as a WAV file (audio/wav).',
    noRecording: 'No recording arrived. Please record again.',
    stalePage: 'This page is out of date (the sign-in went on in another tab or window). Reload it.',
  },
  de: {
    passPhrase: 'Meine Stimme ist mein Passwort, bitte bestätigen',
    friendlyName: 'Stimme',
    enrollTitle: 'Anmeldung per Stimme einrichten',
    verifyTitle: 'Mit Ihrer Stimme anmelden',
    enrollLead: 'Sprechen Sie den folgenden Satz {needed}-mal mit Ihrer normalen Stimme an einem ruhigen Ort ein. Danach dient Ihre Stimme als zweiter Faktor für {app}.',
    verifyLead: 'Sprechen Sie Ihren Sicherheitssatz, um Ihre Anmeldung bei {app} zu bestätigen.',
    sayThisPhrase: 'Sprechen Sie diesen Satz:',
    sayYourPhrase: 'Sprechen Sie Ihren Satz:',
    quotedPhrase: '„{phrase}“',
    unknownPhrase: 'Sprechen Sie den Sicherheitssatz, den Sie bei der Einrichtung Ihrer Stimme aufgenommen haben.',
    takeOf: 'Aufnahme {take} von {needed}',
    continue: 'Weiter',
    anotherMethod: 'Stattdessen eine andere Methode einrichten',
    recordTitle: 'Ihre Stimme aufnehmen',
    yourVoice: 'Ihre Stimme',
    level: 'Mikrofonpegel',
    silent: 'still',
    statusIdle: 'Drücken Sie auf „Aufnehmen“ und sprechen Sie dann den Satz. Die Aufnahme endet von selbst, wenn Sie fertig sind.',
    noScript: 'Für die Sprachaufnahme werden JavaScript und ein Mikrofon benötigt. {fallback}',
    record: 'Aufnehmen',
    stop: 'Stopp',
    cancel: 'Abbrechen und zurück zu {app}',
    noticeTitle: 'Die Anmeldung per Stimme kann noch nicht eingerichtet werden',
    backToSetup: 'Zurück zur Einrichtung',
    fallbackEnroll: 'richten Sie eine andere Methode ein.',
    fallbackVerify: 'klicken Sie auf „Andere Methode wählen“.',
    fallbackSentenceEnroll: 'Richten Sie stattdessen eine andere Methode ein.',
    fallbackSentenceVerify: 'Klicken Sie auf „Andere Methode wählen“.',
    jsTakeProgress: 'Aufnahme {take} von {needed} ({saved} gespeichert)',
    jsAllTakes: 'Alle {needed} Aufnahmen erledigt',
    jsNoAudio: 'Dieser Browser kann hier keinen Ton aufnehmen. {fallback}',
    jsMicBlocked: 'Der Zugriff auf das Mikrofon wurde blockiert. Erlauben Sie das Mikrofon für diese Seite in Ihrem Browser, oder {fallback}',
    jsNoMic: 'Es wurde kein Mikrofon gefunden. Schließen Sie eines an und versuchen Sie es erneut, oder {fallback}',
    jsCouldNotStart: 'Die Aufnahme konnte nicht starten ({error}). Versuchen Sie es erneut, oder {fallback}',
    jsUnknownError: 'unbekannter Fehler',
    jsPressRecord: 'Drücken Sie auf „Aufnehmen“ und sprechen Sie dann den Satz.',
    jsStarting: 'Mikrofon wird gestartet…',
    jsRecording: 'Aufnahme läuft… sprechen Sie jetzt den Satz.',
    jsChecking: 'Ihre Stimme wird geprüft…',
    jsNetwork: 'Die Aufnahme konnte nicht gesendet werden (Netzwerkproblem). Versuchen Sie es erneut.',
    jsServerError: 'Bei uns ist ein Fehler aufgetreten ({status}). Versuchen Sie es erneut, oder {fallback}',
    jsMatched: 'Ihre Stimme wurde erkannt. Sie kehren zur Anwendung zurück…',
    jsAllTakesDone: 'Alle Aufnahmen erledigt',
    jsSetUp: 'Ihre Stimme ist eingerichtet.',
    jsStoppedEnroll: 'Die Einrichtung per Stimme kann hier nicht fortgesetzt werden. Richten Sie stattdessen eine andere Methode ein.',
    jsStoppedVerify: 'Die Anmeldung per Stimme kann hier nicht fortgesetzt werden. Klicken Sie auf „Andere Methode wählen“.',
    jsTakeSaved: 'Aufnahme {saved} gespeichert. Drücken Sie auf „Aufnehmen“ für die nächste Aufnahme.',
    jsTryAgain: 'Drücken Sie auf „Aufnehmen“, um es erneut zu versuchen.',
    tooShort: 'Die Aufnahme war zu kurz: Drücken Sie auf „Aufnehmen“, sprechen Sie den ganzen Satz und lassen Sie die Aufnahme von selbst enden.',
    tooQuiet: 'Wir konnten Sie kaum hören: Gehen Sie näher an das Mikrofon oder sprechen Sie etwas lauter.',
    clipped: 'Die Aufnahme war zu laut und verzerrt: Halten Sie das Mikrofon etwas weiter weg.',
    tooNoisy: 'Es gibt zu viele Hintergrundgeräusche: Gehen Sie an einen ruhigeren Ort und versuchen Sie es erneut.',
    mostlySilence: 'Wir haben fast nur Stille gehört: Beginnen Sie gleich nach dem Drücken auf „Aufnehmen“ zu sprechen.',
    unusable: 'Die Aufnahme konnte nicht verwendet werden. Bitte nehmen Sie erneut auf.',
    wait: (p) => wait(Number(p['seconds']), (n) => `${n} Minuten`, (n) => (n === 1 ? '1 Sekunde' : `${n} Sekunden`)),
    retryIn: ' Versuchen Sie es in {wait} erneut.',
    notAccepted: 'Die Anwendung akzeptiert für diese Anmeldung keine Anmeldung per Stimme.',
    notPart: 'Diese Stimme gehört nicht zu dieser Anmeldung. Beginnen Sie erneut in der Anwendung.',
    unavailableNow: 'Die Anmeldung per Stimme ist auf diesem Server derzeit nicht verfügbar. Verwenden Sie eine andere Methode.',
    pausedFor: 'Die Anmeldung per Stimme ist nach zu vielen Fehlversuchen in Folge pausiert. Versuchen Sie es in {wait} erneut, oder verwenden Sie eine andere Methode.',
    tooManyChecks: 'Für Ihr Konto wurden zu viele Stimmprüfungen gestartet. Verwenden Sie eine andere Methode.',
    attemptsLeft: (p) => {
      const left = Number(p['left']);
      return left === 0 ? 'Hier sind keine Versuche mehr übrig: Verwenden Sie eine andere Methode.' : left === 1 ? 'Noch 1 Versuch.' : `Noch ${left} Versuche.`;
    },
    noCheck: 'Auf dieser Seite wurde keine Stimmprüfung gestartet. Beginnen Sie erneut in der Anwendung.',
    unreadableVerify: 'Wir konnten diese Aufnahme nicht lesen. Bitte nehmen Sie erneut auf (falls es weiterhin fehlschlägt, verwenden Sie eine andere Methode).',
    paused: 'Die Anmeldung per Stimme ist nach zu vielen Fehlversuchen in Folge pausiert.{retry} Verwenden Sie bis dahin eine andere Methode.',
    tooManyRecordings: 'Zu viele Aufnahmen für diese Anmeldung. Verwenden Sie eine andere Methode.',
    expired: 'Diese Stimmprüfung ist abgelaufen oder wurde bereits beantwortet. Klicken Sie auf „Andere Methode wählen“, um eine neue zu starten oder eine andere Methode zu verwenden.',
    gone: 'Diese Stimmprüfung besteht nicht mehr. Klicken Sie auf „Andere Methode wählen“, um neu zu beginnen.',
    replay: 'Diese Aufnahme klingt wie eine, die wir schon gehört haben (möglicherweise eine Wiedergabe), daher wurde diese Stimmprüfung abgelehnt. Verwenden Sie eine andere Methode.',
    mismatchLocked: 'Ihre Stimme stimmte nicht überein. Die Anmeldung per Stimme ist nach zu vielen Fehlversuchen in Folge für {wait} pausiert: Verwenden Sie eine andere Methode.',
    mismatchNoneLeft: 'Ihre Stimme stimmte nicht überein. {attempts}',
    mismatchAgain: 'Ihre Stimme stimmte nicht überein. Sprechen Sie den Satz erneut, deutlich und in Ihrem gewohnten Tempo. {attempts}',
    setupCompleted: 'Diese Einrichtung wurde bereits abgeschlossen. Beginnen Sie erneut in der Anwendung.',
    notOffered: 'Die Anwendung bietet keine Anmeldung per Stimme an.',
    setupAccountChanged: 'Dieses Konto hat sich seit Beginn der Einrichtung geändert. Beginnen Sie erneut in der Anwendung.',
    needsAnotherFactor:
      'Die Anmeldung per Stimme kann erst hinzugefügt werden, wenn Sie eine andere Anmeldemethode haben (eine Authenticator-App, einen Passkey, Ihr Telefon oder Wiederherstellungscodes): Die Stimme ist nie Ihr einziger Faktor. Richten Sie zuerst eine dieser Methoden ein.',
    unavailable: 'Die Anmeldung per Stimme ist auf diesem Server nicht verfügbar. Wählen Sie eine andere Methode.',
    tooManyFactors: 'Für Ihr Konto wurden zu viele Anmeldemethoden hinzugefügt. Versuchen Sie es später erneut.',
    noSetup: 'Auf dieser Seite wurde keine Einrichtung per Stimme gestartet. Beginnen Sie erneut auf der Einrichtungsseite.',
    setUpDone: 'Ihre Stimme ist eingerichtet. Sie können sich jetzt anmelden, indem Sie Ihren Satz sprechen.',
    unreadableEnroll: 'Wir konnten diese Aufnahme nicht lesen. Bitte nehmen Sie erneut auf.',
    dropped: 'Eine Aufnahme klang anders als die übrigen und wurde verworfen: Sprechen Sie denselben Satz noch einmal auf dieselbe Weise.',
    tooLong: 'Die Aufnahme ist zu lang. Nehmen Sie nur den Satz auf (ein paar Sekunden) und versuchen Sie es erneut.',
    notWav: 'Die Aufnahme muss als WAV-Datei (audio/wav) gesendet werden.',
    noRecording: 'Es ist keine Aufnahme angekommen. Bitte nehmen Sie erneut auf.',
    stalePage: 'Diese Seite ist veraltet (die Anmeldung ging in einem anderen Tab oder Fenster weiter). Laden Sie sie neu.',
  },
  fr: {
    passPhrase: 'Ma voix est mon mot de passe, vérifiez-moi',
    friendlyName: 'Voix',
    enrollTitle: 'Configurer la connexion par la voix',
    verifyTitle: 'Connectez-vous avec votre voix',
    enrollLead: 'Enregistrez la phrase ci-dessous {needed} fois, avec votre voix habituelle, dans un endroit calme. Votre voix servira ensuite de second facteur pour {app}.',
    verifyLead: 'Dites votre phrase secrète pour confirmer votre connexion à {app}.',
    sayThisPhrase: 'Dites cette phrase :',
    sayYourPhrase: 'Dites votre phrase :',
    quotedPhrase: '« {phrase} »',
    unknownPhrase: 'Dites la phrase secrète que vous avez enregistrée lors de la configuration de votre voix.',
    takeOf: 'Enregistrement {take} sur {needed}',
    continue: 'Continuer',
    anotherMethod: 'Configurer plutôt une autre méthode',
    recordTitle: 'Enregistrez votre voix',
    yourVoice: 'Votre voix',
    level: 'Niveau du micro',
    silent: 'silence',
    statusIdle: 'Appuyez sur Enregistrer, puis dites la phrase. L’enregistrement s’arrête de lui-même lorsque vous avez terminé.',
    noScript: 'L’enregistrement de votre voix nécessite JavaScript et un micro. {fallback}',
    record: 'Enregistrer',
    stop: 'Arrêter',
    cancel: 'Annuler et revenir à {app}',
    noticeTitle: 'La connexion par la voix ne peut pas encore être configurée',
    backToSetup: 'Retour à la configuration',
    fallbackEnroll: 'configurez une autre méthode.',
    fallbackVerify: 'utilisez « Essayer une autre méthode ».',
    fallbackSentenceEnroll: 'Configurez plutôt une autre méthode.',
    fallbackSentenceVerify: 'Utilisez « Essayer une autre méthode ».',
    jsTakeProgress: 'Enregistrement {take} sur {needed} ({saved} conservé(s))',
    jsAllTakes: 'Les {needed} enregistrements sont terminés',
    jsNoAudio: 'Ce navigateur ne peut pas enregistrer de son ici. {fallback}',
    jsMicBlocked: 'L’accès au micro a été bloqué. Autorisez le micro pour cette page dans votre navigateur, ou {fallback}',
    jsNoMic: 'Aucun micro n’a été trouvé. Branchez-en un et réessayez, ou {fallback}',
    jsCouldNotStart: 'L’enregistrement n’a pas pu démarrer ({error}). Réessayez, ou {fallback}',
    jsUnknownError: 'erreur inconnue',
    jsPressRecord: 'Appuyez sur Enregistrer, puis dites la phrase.',
    jsStarting: 'Démarrage du micro…',
    jsRecording: 'Enregistrement… dites la phrase maintenant.',
    jsChecking: 'Vérification de votre voix…',
    jsNetwork: 'L’enregistrement n’a pas pu être envoyé (problème de réseau). Réessayez.',
    jsServerError: 'Un problème est survenu de notre côté ({status}). Réessayez, ou {fallback}',
    jsMatched: 'Votre voix a été reconnue. Retour à l’application…',
    jsAllTakesDone: 'Tous les enregistrements sont terminés',
    jsSetUp: 'Votre voix est configurée.',
    jsStoppedEnroll: 'La configuration de la voix ne peut pas continuer ici. Configurez plutôt une autre méthode.',
    jsStoppedVerify: 'La connexion par la voix ne peut pas continuer ici. Utilisez « Essayer une autre méthode ».',
    jsTakeSaved: 'Enregistrement {saved} conservé. Appuyez sur Enregistrer pour le suivant.',
    jsTryAgain: 'Appuyez sur Enregistrer pour réessayer.',
    tooShort: 'L’enregistrement était trop court : appuyez sur Enregistrer, dites toute la phrase et laissez l’enregistrement s’arrêter de lui-même.',
    tooQuiet: 'Nous vous entendions à peine : rapprochez-vous du micro ou parlez un peu plus fort.',
    clipped: 'L’enregistrement était trop fort et déformé : éloignez un peu le micro.',
    tooNoisy: 'Il y a trop de bruit de fond : installez-vous dans un endroit plus calme et réessayez.',
    mostlySilence: 'Nous avons surtout entendu du silence : commencez à parler dès que vous appuyez sur Enregistrer.',
    unusable: 'L’enregistrement n’a pas pu être utilisé. Veuillez enregistrer à nouveau.',
    wait: (p) => wait(Number(p['seconds']), (n) => `${n} minutes`, (n) => (n <= 1 ? `${n} seconde` : `${n} secondes`)),
    retryIn: ' Réessayez dans {wait}.',
    notAccepted: 'L’application n’accepte pas la connexion par la voix pour cette connexion.',
    notPart: 'Cette voix ne fait pas partie de cette connexion. Recommencez depuis l’application.',
    unavailableNow: 'La connexion par la voix n’est pas disponible sur ce serveur pour le moment. Utilisez une autre méthode.',
    pausedFor: 'La connexion par la voix est suspendue après trop d’échecs consécutifs. Réessayez dans {wait}, ou utilisez une autre méthode.',
    tooManyChecks: 'Trop de vérifications vocales ont été lancées pour votre compte. Utilisez une autre méthode.',
    attemptsLeft: (p) => {
      const left = Number(p['left']);
      return left === 0 ? 'Plus aucune tentative ici : utilisez une autre méthode.' : left === 1 ? 'Il reste 1 tentative.' : `Il reste ${left} tentatives.`;
    },
    noCheck: 'Aucune vérification vocale n’a été lancée sur cette page. Recommencez depuis l’application.',
    unreadableVerify: 'Nous n’avons pas pu lire cet enregistrement. Veuillez enregistrer à nouveau (si l’échec persiste, utilisez une autre méthode).',
    paused: 'La connexion par la voix est suspendue après trop d’échecs consécutifs.{retry} En attendant, utilisez une autre méthode.',
    tooManyRecordings: 'Trop d’enregistrements pour cette connexion. Utilisez une autre méthode.',
    expired: 'Cette vérification vocale a expiré ou a déjà reçu une réponse. Choisissez « Essayer une autre méthode » pour en lancer une nouvelle ou utiliser une autre méthode.',
    gone: 'Cette vérification vocale n’existe plus. Choisissez « Essayer une autre méthode » pour recommencer.',
    replay: 'Cet enregistrement ressemble à un enregistrement déjà entendu (une possible relecture) : cette vérification vocale a donc été refusée. Utilisez une autre méthode.',
    mismatchLocked: 'Votre voix ne correspond pas. La connexion par la voix est maintenant suspendue pendant {wait} après trop d’échecs consécutifs : utilisez une autre méthode.',
    mismatchNoneLeft: 'Votre voix ne correspond pas. {attempts}',
    mismatchAgain: 'Votre voix ne correspond pas. Dites la phrase à nouveau, distinctement et à votre rythme habituel. {attempts}',
    setupCompleted: 'Cette configuration est déjà terminée. Recommencez depuis l’application.',
    notOffered: 'L’application ne propose pas la connexion par la voix.',
    setupAccountChanged: 'Ce compte a changé depuis le début de la configuration. Recommencez depuis l’application.',
    needsAnotherFactor:
      'La connexion par la voix ne peut être ajoutée que si vous disposez d’un autre moyen de connexion (une application d’authentification, une clé d’accès, votre téléphone ou des codes de récupération) : la voix n’est jamais votre seul facteur. Configurez d’abord l’un de ces moyens.',
    unavailable: 'La connexion par la voix n’est pas disponible sur ce serveur. Choisissez une autre méthode.',
    tooManyFactors: 'Trop de méthodes de connexion ont été ajoutées à votre compte. Réessayez plus tard.',
    noSetup: 'Aucune configuration de la voix n’a été lancée sur cette page. Recommencez depuis la page de configuration.',
    setUpDone: 'Votre voix est configurée. Vous pouvez désormais vous connecter en disant votre phrase.',
    unreadableEnroll: 'Nous n’avons pas pu lire cet enregistrement. Veuillez enregistrer à nouveau.',
    dropped: 'Un enregistrement ne ressemblait pas aux autres et a été écarté : dites à nouveau la même phrase, de la même façon.',
    tooLong: 'L’enregistrement est trop long. Enregistrez seulement la phrase (quelques secondes) et réessayez.',
    notWav: 'L’enregistrement doit être envoyé sous forme de fichier WAV (audio/wav).',
    noRecording: 'Aucun enregistrement n’est arrivé. Veuillez enregistrer à nouveau.',
    stalePage: 'Cette page n’est plus à jour (la connexion a continué dans un autre onglet ou une autre fenêtre). Rechargez-la.',
  },
  es: {
    passPhrase: 'Mi voz es mi contraseña, verifíqueme',
    friendlyName: 'Voz',
    enrollTitle: 'Configurar el inicio de sesión por voz',
    verifyTitle: 'Inicie sesión con su voz',
    enrollLead: 'Grabe la frase de abajo {needed} veces, con su voz normal, en un lugar tranquilo. Después, su voz servirá como segundo factor para {app}.',
    verifyLead: 'Diga su frase de acceso para confirmar su inicio de sesión en {app}.',
    sayThisPhrase: 'Diga esta frase:',
    sayYourPhrase: 'Diga su frase:',
    quotedPhrase: '«{phrase}»',
    unknownPhrase: 'Diga la frase de acceso que grabó al configurar su voz.',
    takeOf: 'Grabación {take} de {needed}',
    continue: 'Continuar',
    anotherMethod: 'Configurar otro método en su lugar',
    recordTitle: 'Grabe su voz',
    yourVoice: 'Su voz',
    level: 'Nivel del micrófono',
    silent: 'silencio',
    statusIdle: 'Pulse Grabar y diga la frase. La grabación se detiene sola cuando termine.',
    noScript: 'Para grabar su voz se necesitan JavaScript y un micrófono. {fallback}',
    record: 'Grabar',
    stop: 'Detener',
    cancel: 'Cancelar y volver a {app}',
    noticeTitle: 'Todavía no se puede configurar el inicio de sesión por voz',
    backToSetup: 'Volver a la configuración',
    fallbackEnroll: 'configure otro método.',
    fallbackVerify: 'use «Probar otro método».',
    fallbackSentenceEnroll: 'Configure otro método en su lugar.',
    fallbackSentenceVerify: 'Use «Probar otro método».',
    jsTakeProgress: 'Grabación {take} de {needed} ({saved} guardadas)',
    jsAllTakes: 'Las {needed} grabaciones están hechas',
    jsNoAudio: 'Este navegador no puede grabar audio aquí. {fallback}',
    jsMicBlocked: 'Se bloqueó el acceso al micrófono. Permita el micrófono para esta página en su navegador, o {fallback}',
    jsNoMic: 'No se encontró ningún micrófono. Conecte uno e inténtelo de nuevo, o {fallback}',
    jsCouldNotStart: 'No se pudo iniciar la grabación ({error}). Inténtelo de nuevo, o {fallback}',
    jsUnknownError: 'error desconocido',
    jsPressRecord: 'Pulse Grabar y diga la frase.',
    jsStarting: 'Iniciando el micrófono…',
    jsRecording: 'Grabando… diga la frase ahora.',
    jsChecking: 'Comprobando su voz…',
    jsNetwork: 'No se pudo enviar la grabación (problema de red). Inténtelo de nuevo.',
    jsServerError: 'Algo salió mal por nuestra parte ({status}). Inténtelo de nuevo, o {fallback}',
    jsMatched: 'Su voz coincide. Volviendo a la aplicación…',
    jsAllTakesDone: 'Todas las grabaciones están hechas',
    jsSetUp: 'Su voz está configurada.',
    jsStoppedEnroll: 'La configuración por voz no puede continuar aquí. Configure otro método en su lugar.',
    jsStoppedVerify: 'El inicio de sesión por voz no puede continuar aquí. Use «Probar otro método».',
    jsTakeSaved: 'Grabación {saved} guardada. Pulse Grabar para la siguiente.',
    jsTryAgain: 'Pulse Grabar para intentarlo de nuevo.',
    tooShort: 'La grabación fue demasiado corta: pulse Grabar, diga la frase completa y deje que se detenga sola.',
    tooQuiet: 'Apenas le oíamos: acérquese al micrófono o hable un poco más alto.',
    clipped: 'La grabación tenía demasiado volumen y se distorsionó: aleje un poco el micrófono.',
    tooNoisy: 'Hay demasiado ruido de fondo: vaya a un lugar más tranquilo e inténtelo de nuevo.',
    mostlySilence: 'Oímos sobre todo silencio: empiece a hablar justo después de pulsar Grabar.',
    unusable: 'No se pudo usar la grabación. Grabe de nuevo, por favor.',
    wait: (p) => wait(Number(p['seconds']), (n) => `${n} minutos`, (n) => (n === 1 ? '1 segundo' : `${n} segundos`)),
    retryIn: ' Inténtelo de nuevo en {wait}.',
    notAccepted: 'La aplicación no acepta el inicio de sesión por voz para este inicio de sesión.',
    notPart: 'Esta voz no forma parte de este inicio de sesión. Vuelva a empezar desde la aplicación.',
    unavailableNow: 'El inicio de sesión por voz no está disponible en este servidor en este momento. Use otro método.',
    pausedFor: 'El inicio de sesión por voz está en pausa tras demasiados fallos seguidos. Inténtelo de nuevo en {wait} o use otro método.',
    tooManyChecks: 'Se iniciaron demasiadas comprobaciones de voz para su cuenta. Use otro método.',
    attemptsLeft: (p) => {
      const left = Number(p['left']);
      return left === 0 ? 'No quedan intentos aquí: use otro método.' : left === 1 ? 'Queda 1 intento.' : `Quedan ${left} intentos.`;
    },
    noCheck: 'No se inició ninguna comprobación de voz en esta página. Vuelva a empezar desde la aplicación.',
    unreadableVerify: 'No pudimos leer esa grabación. Grabe de nuevo, por favor (si sigue fallando, use otro método).',
    paused: 'El inicio de sesión por voz está en pausa tras demasiados fallos seguidos.{retry} Mientras tanto, use otro método.',
    tooManyRecordings: 'Demasiadas grabaciones para este inicio de sesión. Use otro método.',
    expired: 'Esta comprobación de voz caducó o ya se respondió. Elija «Probar otro método» para empezar una nueva o usar otro método.',
    gone: 'Esta comprobación de voz ya no existe. Elija «Probar otro método» para volver a empezar.',
    replay: 'Esta grabación se parece a una que ya hemos oído (una posible reproducción), así que se rechazó esta comprobación de voz. Use otro método.',
    mismatchLocked: 'Su voz no coincide. El inicio de sesión por voz queda en pausa durante {wait} tras demasiados fallos seguidos: use otro método.',
    mismatchNoneLeft: 'Su voz no coincide. {attempts}',
    mismatchAgain: 'Su voz no coincide. Diga la frase de nuevo, con claridad y a su ritmo habitual. {attempts}',
    setupCompleted: 'Esta configuración ya se completó. Vuelva a empezar desde la aplicación.',
    notOffered: 'La aplicación no ofrece el inicio de sesión por voz.',
    setupAccountChanged: 'Esta cuenta cambió desde que empezó la configuración. Vuelva a empezar desde la aplicación.',
    needsAnotherFactor:
      'El inicio de sesión por voz solo se puede añadir cuando tenga otra forma de iniciar sesión (una aplicación de autenticación, una llave de acceso, su teléfono o códigos de recuperación): la voz nunca es su único factor. Configure primero uno de ellos.',
    unavailable: 'El inicio de sesión por voz no está disponible en este servidor. Elija otro método.',
    tooManyFactors: 'Se añadieron demasiados métodos de inicio de sesión a su cuenta. Inténtelo de nuevo más tarde.',
    noSetup: 'No se inició ninguna configuración de voz en esta página. Vuelva a empezar desde la página de configuración.',
    setUpDone: 'Su voz está configurada. Ya puede iniciar sesión diciendo su frase.',
    unreadableEnroll: 'No pudimos leer esa grabación. Grabe de nuevo, por favor.',
    dropped: 'Una grabación no sonaba como las demás y se descartó: diga la misma frase de nuevo, de la misma manera.',
    tooLong: 'La grabación es demasiado larga. Grabe solo la frase (unos segundos) e inténtelo de nuevo.',
    notWav: 'La grabación debe enviarse como archivo WAV (audio/wav).',
    noRecording: 'No llegó ninguna grabación. Grabe de nuevo, por favor.',
    stalePage: 'Esta página está desactualizada (el inicio de sesión continuó en otra pestaña o ventana). Vuelva a cargarla.',
  },
};
