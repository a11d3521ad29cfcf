import type { Messages } from './i18n.ts';

export type PasskeyMessageKey =
  // The chooser's card.
  | 'cardTitle'
  | 'cardHint'
  | 'cardButton'
  | 'cardButtonNamed'
  // The ceremony pages.
  | 'noScript'
  | 'signInTitle'
  | 'signInLead'
  | 'signInButton'
  | 'cancel'
  | 'enrollTitle'
  | 'enrollLead'
  | 'enrollButton'
  | 'enrollAnotherMethod'
  // The page's script (handed over in data-msg-* attributes).
  | 'scriptUnsupported'
  | 'scriptDamaged'
  | 'scriptNotLoaded'
  | 'scriptPromptCreate'
  | 'scriptPromptUse'
  | 'scriptChecking'
  | 'scriptUnfinished'
  // The browser's WebAuthn failures (DOMException names).
  | 'clientNotAllowed'
  | 'clientAbort'
  | 'clientSecurity'
  | 'clientInvalidState'
  | 'clientNotSupported'
  | 'clientConstraint'
  | 'clientUnknown'
  // Sign-in.
  | 'notAccepted'
  | 'notThisSignIn'
  | 'wrongSite'
  | 'noRequest'
  | 'notAResponse'
  | 'notAccepted2'
  | 'notRegistered'
  | 'didNotVerify'
  | 'counterBackwards'
  | 'expired'
  | 'tooMany'
  | 'gone'
  | 'retryIn'
  // Enrollment.
  | 'accountChanged'
  | 'badAccountName'
  | 'alreadyCompleted'
  | 'notHere'
  | 'friendlyName'
  | 'regDidNotVerify'
  | 'regTooMany'
  | 'regTooLong'
  | 'noEnrollment'
  | 'added'
  | 'notANewPasskey'
  | 'notAdded'
  // Usernameless sign-in (purpose identify).
  | 'identifyTitle'
  | 'identifyLead'
  | 'identifyButton'
  | 'identifyBack'
  | 'identifyUnknown'
  | 'identifyNoUv'
  | 'identifyNotHere';

const minutesOrSeconds = (seconds: number, minutes: (n: number) => string, secs: (n: number) => string): string => (seconds >= 120 ? minutes(Math.ceil(seconds / 60)) : secs(seconds));

/** The hosted passkey pages (chooser card, sign-in, enrollment) and their script, in every page language. */
export const PASSKEY_MESSAGES: Messages<PasskeyMessageKey> = {
  en: {
    cardTitle: 'Passkey',
    cardHint: 'Sign in with the passkey saved on this device or your phone: your fingerprint, face, PIN or screen lock.',
    cardButton: 'Use a passkey',
    cardButtonNamed: 'Use a passkey: “{name}”',
    noScript: 'Passkeys need JavaScript, which is turned off or blocked in this browser. Turn it on and reload this page, or try another way.',
    signInTitle: 'Use your passkey',
    signInLead: 'Confirm your sign-in to {app} with your passkey “{name}”. Your device will ask for your fingerprint, face, PIN or screen lock.',
    signInButton: 'Use my passkey',
    cancel: 'Cancel and go back to {app}',
    enrollTitle: 'Add a passkey',
    enrollLead: 'A passkey lets you confirm it is you when you sign in to {app}, with your fingerprint, face, PIN or screen lock. It stays on your device (or in your password manager); {app} never sees it.',
    enrollButton: 'Create a passkey',
    enrollAnotherMethod: 'Set up another method instead',
    scriptUnsupported: 'This browser cannot use passkeys. Try another browser, or try another way.',
    scriptDamaged: 'This page is damaged. Reload it, or try another way.',
    scriptNotLoaded: 'The passkey script did not load. Reload the page, or try another way.',
    scriptPromptCreate: 'Follow your device’s prompt to create the passkey…',
    scriptPromptUse: 'Follow your device’s prompt to use your passkey…',
    scriptChecking: 'Checking your passkey…',
    scriptUnfinished: 'The passkey prompt did not finish.',
    clientNotAllowed: 'The passkey prompt was closed or timed out, or this device has no passkey for your account here. Try again, or try another way.',
    clientAbort: 'The passkey prompt was interrupted before it finished. Try again.',
    clientSecurity: 'Your browser refused to use a passkey on this address. Try another way.',
    clientInvalidState: 'This device already holds a passkey for your account here, so you can already sign in with it. Add a passkey on another device instead.',
    clientNotSupported: 'This device cannot make the kind of passkey this application asks for. Try another device, or try another way.',
    clientConstraint: 'This device cannot check that it is you (fingerprint, face, PIN or screen lock), which this application requires. Try another device, or try another way.',
    clientUnknown: 'Your browser could not use a passkey. Try again, or try another way.',
    notAccepted: 'The application does not accept passkeys for this sign-in.',
    notThisSignIn: 'This passkey is not part of this sign-in. Start again from the application.',
    wrongSite: 'Passkeys for {app} cannot be used on this page (they belong to another address). Use another method.',
    noRequest: 'No passkey request was started on this page. Start again from the application.',
    notAResponse: 'Your browser sent an answer that is not a passkey response. Try again.',
    notAccepted2: 'Your passkey was not accepted. Try again.',
    notRegistered: 'That passkey is not registered for your account with {app}. Choose the passkey “{name}”, or try another way.',
    didNotVerify: 'Your passkey’s answer did not verify for this page (it was signed for another request or site). Try again.',
    counterBackwards: 'This passkey was refused: its signature counter went backwards, which happens when a passkey has been copied. Use another method, and check the passkeys on your account.',
    expired: 'The passkey request expired or was already used. We prepared a new one: try again.',
    tooMany: 'Too many failed passkey attempts for this account.{retry} Use another method.',
    gone: 'The passkey request no longer exists. We prepared a new one: try again.',
    retryIn: (p) => ` Try again in ${minutesOrSeconds(Number(p['seconds']), (n) => `${n} minutes`, (n) => `${n} seconds`)}.`,
    accountChanged: 'This account changed since the page was opened. Start again from the application.',
    badAccountName: 'This account’s name cannot hold sign-in methods here. Ask the application’s support.',
    alreadyCompleted: 'This page was already completed. Start again from the application to set up another method.',
    notHere: 'Passkeys for {app} cannot be added on this page (they belong to another address). Choose another method.',
    friendlyName: 'Passkey for {app}',
    regDidNotVerify: 'Your device’s new passkey could not be verified for this page (its site or request did not match). Try again.',
    regTooMany: 'Too many failed attempts to add this passkey. We prepared a new one: try again.',
    regTooLong: 'Adding the passkey took too long (5 minutes at most). We prepared a new request: try again.',
    noEnrollment: 'No passkey is being added on this page. Start again from the enrollment page.',
    added: 'Passkey added: next time {app} asks you to confirm it’s you, choose “Use a passkey”.',
    notANewPasskey: 'Your browser sent an answer that is not a new passkey. Try again.',
    notAdded: 'The passkey was not added. Try again.',
    identifyTitle: 'Sign in with a passkey',
    identifyLead: 'Sign in to {app} with the passkey saved on this device or your phone: no username, no password. Your device asks for your fingerprint, face, PIN or screen lock.',
    identifyButton: 'Sign in with a passkey',
    identifyBack: 'Back to {app} (sign in with your password)',
    identifyUnknown: 'This passkey is not registered with {app}, or it was removed. Choose another passkey, or go back and sign in with your password.',
    identifyNoUv: 'Your device did not confirm it’s you (fingerprint, face, PIN or screen lock): a passkey alone cannot sign you in without it. Try again and unlock your device when asked.',
    identifyNotHere: 'Passkeys for {app} cannot be used on this page (they belong to another address). Go back and sign in with your password.',
  },
  de: {
    cardTitle: 'Passkey',
    cardHint: 'Melden Sie sich mit dem Passkey an, der auf diesem Gerät oder Ihrem Telefon gespeichert ist: per Fingerabdruck, Gesicht, PIN oder Displaysperre.',
    cardButton: 'Passkey verwenden',
    cardButtonNamed: 'Passkey verwenden: „{name}“',
    noScript: 'Passkeys benötigen JavaScript, das in diesem Browser ausgeschaltet oder blockiert ist. Schalten Sie es ein und laden Sie die Seite neu, oder wählen Sie einen anderen Weg.',
    signInTitle: 'Passkey verwenden',
    signInLead: 'Bestätigen Sie Ihre Anmeldung bei {app} mit Ihrem Passkey „{name}“. Ihr Gerät fragt nach Fingerabdruck, Gesicht, PIN oder Displaysperre.',
    signInButton: 'Meinen Passkey verwenden',
    cancel: 'Abbrechen und zurück zu {app}',
    enrollTitle: 'Passkey hinzufügen',
    enrollLead: 'Mit einem Passkey bestätigen Sie bei der Anmeldung bei {app} per Fingerabdruck, Gesicht, PIN oder Displaysperre, dass Sie es sind. Er bleibt auf Ihrem Gerät (oder in Ihrem Passwort-Manager); {app} sieht ihn nie.',
    enrollButton: 'Passkey erstellen',
    enrollAnotherMethod: 'Stattdessen eine andere Methode einrichten',
    scriptUnsupported: 'Dieser Browser kann keine Passkeys verwenden. Versuchen Sie es mit einem anderen Browser oder auf einem anderen Weg.',
    scriptDamaged: 'Diese Seite ist beschädigt. Laden Sie sie neu, oder wählen Sie einen anderen Weg.',
    scriptNotLoaded: 'Das Passkey-Skript wurde nicht geladen. Laden Sie die Seite neu, oder wählen Sie einen anderen Weg.',
    scriptPromptCreate: 'Folgen Sie der Aufforderung Ihres Geräts, um den Passkey zu erstellen…',
    scriptPromptUse: 'Folgen Sie der Aufforderung Ihres Geräts, um Ihren Passkey zu verwenden…',
    scriptChecking: 'Ihr Passkey wird geprüft…',
    scriptUnfinished: 'Die Passkey-Abfrage wurde nicht abgeschlossen.',
    clientNotAllowed: 'Die Passkey-Abfrage wurde geschlossen oder ist abgelaufen, oder dieses Gerät hat hier keinen Passkey für Ihr Konto. Versuchen Sie es erneut oder auf einem anderen Weg.',
    clientAbort: 'Die Passkey-Abfrage wurde unterbrochen, bevor sie abgeschlossen war. Versuchen Sie es erneut.',
    clientSecurity: 'Ihr Browser hat die Verwendung eines Passkeys auf dieser Adresse verweigert. Wählen Sie einen anderen Weg.',
    clientInvalidState: 'Dieses Gerät hat bereits einen Passkey für Ihr Konto, Sie können sich also schon damit anmelden. Fügen Sie stattdessen einen Passkey auf einem anderen Gerät hinzu.',
    clientNotSupported: 'Dieses Gerät kann die Art von Passkey, die diese Anwendung verlangt, nicht erstellen. Versuchen Sie es mit einem anderen Gerät oder auf einem anderen Weg.',
    clientConstraint: 'Dieses Gerät kann nicht prüfen, dass Sie es sind (Fingerabdruck, Gesicht, PIN oder Displaysperre), was diese Anwendung verlangt. Versuchen Sie es mit einem anderen Gerät oder auf einem anderen Weg.',
    clientUnknown: 'Ihr Browser konnte keinen Passkey verwenden. Versuchen Sie es erneut oder auf einem anderen Weg.',
    notAccepted: 'Die Anwendung akzeptiert für diese Anmeldung keine Passkeys.',
    notThisSignIn: 'Dieser Passkey gehört nicht zu dieser Anmeldung. Beginnen Sie erneut in der Anwendung.',
    wrongSite: 'Passkeys für {app} können auf dieser Seite nicht verwendet werden (sie gehören zu einer anderen Adresse). Verwenden Sie eine andere Methode.',
    noRequest: 'Auf dieser Seite wurde keine Passkey-Anfrage gestartet. Beginnen Sie erneut in der Anwendung.',
    notAResponse: 'Ihr Browser hat eine Antwort gesendet, die keine Passkey-Antwort ist. Versuchen Sie es erneut.',
    notAccepted2: 'Ihr Passkey wurde nicht akzeptiert. Versuchen Sie es erneut.',
    notRegistered: 'Dieser Passkey ist für Ihr Konto bei {app} nicht registriert. Wählen Sie den Passkey „{name}“, oder wählen Sie einen anderen Weg.',
    didNotVerify: 'Die Antwort Ihres Passkeys ließ sich für diese Seite nicht bestätigen (sie wurde für eine andere Anfrage oder Website signiert). Versuchen Sie es erneut.',
    counterBackwards: 'Dieser Passkey wurde abgelehnt: Sein Signaturzähler ist zurückgegangen, was passiert, wenn ein Passkey kopiert wurde. Verwenden Sie eine andere Methode und prüfen Sie die Passkeys Ihres Kontos.',
    expired: 'Die Passkey-Anfrage ist abgelaufen oder wurde bereits verwendet. Wir haben eine neue vorbereitet: Versuchen Sie es erneut.',
    tooMany: 'Zu viele fehlgeschlagene Passkey-Versuche für dieses Konto.{retry} Verwenden Sie eine andere Methode.',
    gone: 'Die Passkey-Anfrage besteht nicht mehr. Wir haben eine neue vorbereitet: Versuchen Sie es erneut.',
    retryIn: (p) => ` Versuchen Sie es in ${minutesOrSeconds(Number(p['seconds']), (n) => `${n} Minuten`, (n) => (n === 1 ? '1 Sekunde' : `${n} Sekunden`))} erneut.`,
    accountChanged: 'Dieses Konto hat sich geändert, seit die Seite geöffnet wurde. Beginnen Sie erneut in der Anwendung.',
    badAccountName: 'Für den Namen dieses Kontos können hier keine Anmeldemethoden gespeichert werden. Wenden Sie sich an den Support der Anwendung.',
    alreadyCompleted: 'Diese Seite wurde bereits abgeschlossen. Beginnen Sie erneut in der Anwendung, um eine weitere Methode einzurichten.',
    notHere: 'Passkeys für {app} können auf dieser Seite nicht hinzugefügt werden (sie gehören zu einer anderen Adresse). Wählen Sie eine andere Methode.',
    friendlyName: 'Passkey für {app}',
    regDidNotVerify: 'Der neue Passkey Ihres Geräts ließ sich für diese Seite nicht bestätigen (Website oder Anfrage stimmten nicht überein). Versuchen Sie es erneut.',
    regTooMany: 'Zu viele fehlgeschlagene Versuche, diesen Passkey hinzuzufügen. Wir haben eine neue Anfrage vorbereitet: Versuchen Sie es erneut.',
    regTooLong: 'Das Hinzufügen des Passkeys hat zu lange gedauert (höchstens 5 Minuten). Wir haben eine neue Anfrage vorbereitet: Versuchen Sie es erneut.',
    noEnrollment: 'Auf dieser Seite wird kein Passkey hinzugefügt. Beginnen Sie erneut auf der Einrichtungsseite.',
    added: 'Passkey hinzugefügt: Wenn {app} Sie das nächste Mal um eine Bestätigung bittet, wählen Sie „Passkey verwenden“.',
    notANewPasskey: 'Ihr Browser hat eine Antwort gesendet, die kein neuer Passkey ist. Versuchen Sie es erneut.',
    notAdded: 'Der Passkey wurde nicht hinzugefügt. Versuchen Sie es erneut.',
    identifyTitle: 'Mit einem Passkey anmelden',
    identifyLead: 'Melden Sie sich bei {app} mit dem Passkey auf diesem Gerät oder Ihrem Telefon an: ohne Benutzernamen, ohne Passwort. Ihr Gerät fragt nach Fingerabdruck, Gesicht, PIN oder Bildschirmsperre.',
    identifyButton: 'Mit einem Passkey anmelden',
    identifyBack: 'Zurück zu {app} (mit Passwort anmelden)',
    identifyUnknown: 'Dieser Passkey ist bei {app} nicht registriert oder wurde entfernt. Wählen Sie einen anderen Passkey oder melden Sie sich mit Ihrem Passwort an.',
    identifyNoUv: 'Ihr Gerät hat nicht bestätigt, dass Sie es sind (Fingerabdruck, Gesicht, PIN oder Bildschirmsperre): Ohne diese Bestätigung meldet ein Passkey allein Sie nicht an. Versuchen Sie es erneut und entsperren Sie Ihr Gerät, wenn Sie gefragt werden.',
    identifyNotHere: 'Passkeys für {app} können auf dieser Seite nicht verwendet werden (sie gehören zu einer anderen Adresse). Gehen Sie zurück und melden Sie sich mit Ihrem Passwort an.',
  },
  fr: {
    cardTitle: 'Clé d’accès',
    cardHint: 'Connectez-vous avec la clé d’accès enregistrée sur cet appareil ou sur votre téléphone : empreinte digitale, visage, code PIN ou verrouillage de l’écran.',
    cardButton: 'Utiliser une clé d’accès',
    cardButtonNamed: 'Utiliser une clé d’accès : « {name} »',
    noScript: 'Les clés d’accès nécessitent JavaScript, qui est désactivé ou bloqué dans ce navigateur. Activez-le et rechargez cette page, ou essayez une autre méthode.',
    signInTitle: 'Utilisez votre clé d’accès',
    signInLead: 'Confirmez votre connexion à {app} avec votre clé d’accès « {name} ». Votre appareil vous demandera votre empreinte digitale, votre visage, votre code PIN ou le déverrouillage de l’écran.',
    signInButton: 'Utiliser ma clé d’accès',
    cancel: 'Annuler et revenir à {app}',
    enrollTitle: 'Ajouter une clé d’accès',
    enrollLead: 'Une clé d’accès vous permet de confirmer votre identité lorsque vous vous connectez à {app}, avec votre empreinte digitale, votre visage, votre code PIN ou le verrouillage de l’écran. Elle reste sur votre appareil (ou dans votre gestionnaire de mots de passe) ; {app} ne la voit jamais.',
    enrollButton: 'Créer une clé d’accès',
    enrollAnotherMethod: 'Configurer plutôt une autre méthode',
    scriptUnsupported: 'Ce navigateur ne peut pas utiliser de clés d’accès. Essayez un autre navigateur ou une autre méthode.',
    scriptDamaged: 'Cette page est endommagée. Rechargez-la, ou essayez une autre méthode.',
    scriptNotLoaded: 'Le script des clés d’accès ne s’est pas chargé. Rechargez la page, ou essayez une autre méthode.',
    scriptPromptCreate: 'Suivez les instructions de votre appareil pour créer la clé d’accès…',
    scriptPromptUse: 'Suivez les instructions de votre appareil pour utiliser votre clé d’accès…',
    scriptChecking: 'Vérification de votre clé d’accès…',
    scriptUnfinished: 'La demande de clé d’accès n’a pas abouti.',
    clientNotAllowed: 'La demande de clé d’accès a été fermée ou a expiré, ou cet appareil n’a pas de clé d’accès pour votre compte ici. Réessayez, ou essayez une autre méthode.',
    clientAbort: 'La demande de clé d’accès a été interrompue avant la fin. Réessayez.',
    clientSecurity: 'Votre navigateur a refusé d’utiliser une clé d’accès à cette adresse. Essayez une autre méthode.',
    clientInvalidState: 'Cet appareil possède déjà une clé d’accès pour votre compte ici : vous pouvez donc déjà vous connecter avec. Ajoutez plutôt une clé d’accès sur un autre appareil.',
    clientNotSupported: 'Cet appareil ne peut pas créer le type de clé d’accès demandé par cette application. Essayez un autre appareil ou une autre méthode.',
    clientConstraint: 'Cet appareil ne peut pas vérifier qu’il s’agit bien de vous (empreinte digitale, visage, code PIN ou verrouillage de l’écran), ce que cette application exige. Essayez un autre appareil ou une autre méthode.',
    clientUnknown: 'Votre navigateur n’a pas pu utiliser de clé d’accès. Réessayez, ou essayez une autre méthode.',
    notAccepted: 'L’application n’accepte pas les clés d’accès pour cette connexion.',
    notThisSignIn: 'Cette clé d’accès ne fait pas partie de cette connexion. Recommencez depuis l’application.',
    wrongSite: 'Les clés d’accès de {app} ne peuvent pas être utilisées sur cette page (elles appartiennent à une autre adresse). Utilisez une autre méthode.',
    noRequest: 'Aucune demande de clé d’accès n’a été lancée sur cette page. Recommencez depuis l’application.',
    notAResponse: 'Votre navigateur a envoyé une réponse qui n’est pas celle d’une clé d’accès. Réessayez.',
    notAccepted2: 'Votre clé d’accès n’a pas été acceptée. Réessayez.',
    notRegistered: 'Cette clé d’accès n’est pas enregistrée pour votre compte {app}. Choisissez la clé d’accès « {name} », ou essayez une autre méthode.',
    didNotVerify: 'La réponse de votre clé d’accès n’a pas pu être vérifiée pour cette page (elle a été signée pour une autre demande ou un autre site). Réessayez.',
    counterBackwards: 'Cette clé d’accès a été refusée : son compteur de signatures a reculé, ce qui arrive lorsqu’une clé d’accès a été copiée. Utilisez une autre méthode et vérifiez les clés d’accès de votre compte.',
    expired: 'La demande de clé d’accès a expiré ou a déjà été utilisée. Nous en avons préparé une nouvelle : réessayez.',
    tooMany: 'Trop de tentatives de clé d’accès ont échoué pour ce compte.{retry} Utilisez une autre méthode.',
    gone: 'La demande de clé d’accès n’existe plus. Nous en avons préparé une nouvelle : réessayez.',
    retryIn: (p) => ` Réessayez dans ${minutesOrSeconds(Number(p['seconds']), (n) => `${n} minutes`, (n) => (n <= 1 ? `${n} seconde` : `${n} secondes`))}.`,
    accountChanged: 'Ce compte a changé depuis l’ouverture de la page. Recommencez depuis l’application.',
    badAccountName: 'Le nom de ce compte ne peut pas recevoir de méthodes de connexion ici. Contactez le support de l’application.',
    alreadyCompleted: 'Cette page a déjà été complétée. Recommencez depuis l’application pour configurer une autre méthode.',
    notHere: 'Les clés d’accès de {app} ne peuvent pas être ajoutées sur cette page (elles appartiennent à une autre adresse). Choisissez une autre méthode.',
    friendlyName: 'Clé d’accès pour {app}',
    regDidNotVerify: 'La nouvelle clé d’accès de votre appareil n’a pas pu être vérifiée pour cette page (le site ou la demande ne correspondait pas). Réessayez.',
    regTooMany: 'Trop de tentatives d’ajout de cette clé d’accès ont échoué. Nous en avons préparé une nouvelle : réessayez.',
    regTooLong: 'L’ajout de la clé d’accès a pris trop de temps (5 minutes au maximum). Nous avons préparé une nouvelle demande : réessayez.',
    noEnrollment: 'Aucune clé d’accès n’est en cours d’ajout sur cette page. Recommencez depuis la page de configuration.',
    added: 'Clé d’accès ajoutée : la prochaine fois que {app} vous demandera de confirmer votre identité, choisissez « Utiliser une clé d’accès ».',
    notANewPasskey: 'Votre navigateur a envoyé une réponse qui n’est pas une nouvelle clé d’accès. Réessayez.',
    notAdded: 'La clé d’accès n’a pas été ajoutée. Réessayez.',
    identifyTitle: 'Se connecter avec une clé d’accès',
    identifyLead: 'Connectez-vous à {app} avec la clé d’accès enregistrée sur cet appareil ou votre téléphone : sans identifiant ni mot de passe. Votre appareil demande votre empreinte, votre visage, votre code PIN ou le verrouillage de l’écran.',
    identifyButton: 'Se connecter avec une clé d’accès',
    identifyBack: 'Retour à {app} (se connecter avec son mot de passe)',
    identifyUnknown: 'Cette clé d’accès n’est pas enregistrée auprès de {app}, ou elle a été supprimée. Choisissez une autre clé d’accès, ou revenez vous connecter avec votre mot de passe.',
    identifyNoUv: 'Votre appareil n’a pas confirmé que c’est bien vous (empreinte, visage, code PIN ou verrouillage de l’écran) : sans cela, une clé d’accès seule ne peut pas vous connecter. Réessayez et déverrouillez votre appareil quand il le demande.',
    identifyNotHere: 'Les clés d’accès de {app} ne peuvent pas être utilisées sur cette page (elles appartiennent à une autre adresse). Revenez vous connecter avec votre mot de passe.',
  },
  es: {
    cardTitle: 'Llave de acceso',
    cardHint: 'Inicie sesión con la llave de acceso guardada en este dispositivo o en su teléfono: su huella, su rostro, su PIN o el bloqueo de pantalla.',
    cardButton: 'Usar una llave de acceso',
    cardButtonNamed: 'Usar una llave de acceso: «{name}»',
    noScript: 'Las llaves de acceso necesitan JavaScript, que está desactivado o bloqueado en este navegador. Actívelo y vuelva a cargar esta página, o pruebe otro método.',
    signInTitle: 'Use su llave de acceso',
    signInLead: 'Confirme su inicio de sesión en {app} con su llave de acceso «{name}». Su dispositivo le pedirá su huella, su rostro, su PIN o el bloqueo de pantalla.',
    signInButton: 'Usar mi llave de acceso',
    cancel: 'Cancelar y volver a {app}',
    enrollTitle: 'Añadir una llave de acceso',
    enrollLead: 'Una llave de acceso le permite confirmar que es usted al iniciar sesión en {app}, con su huella, su rostro, su PIN o el bloqueo de pantalla. Se queda en su dispositivo (o en su gestor de contraseñas); {app} nunca la ve.',
    enrollButton: 'Crear una llave de acceso',
    enrollAnotherMethod: 'Configurar otro método en su lugar',
    scriptUnsupported: 'Este navegador no puede usar llaves de acceso. Pruebe con otro navegador o con otro método.',
    scriptDamaged: 'Esta página está dañada. Vuelva a cargarla o pruebe otro método.',
    scriptNotLoaded: 'El script de llaves de acceso no se cargó. Vuelva a cargar la página o pruebe otro método.',
    scriptPromptCreate: 'Siga las indicaciones de su dispositivo para crear la llave de acceso…',
    scriptPromptUse: 'Siga las indicaciones de su dispositivo para usar su llave de acceso…',
    scriptChecking: 'Comprobando su llave de acceso…',
    scriptUnfinished: 'La solicitud de la llave de acceso no terminó.',
    clientNotAllowed: 'La solicitud de la llave de acceso se cerró o caducó, o este dispositivo no tiene una llave de acceso para su cuenta aquí. Inténtelo de nuevo o pruebe otro método.',
    clientAbort: 'La solicitud de la llave de acceso se interrumpió antes de terminar. Inténtelo de nuevo.',
    clientSecurity: 'Su navegador se negó a usar una llave de acceso en esta dirección. Pruebe otro método.',
    clientInvalidState: 'Este dispositivo ya tiene una llave de acceso para su cuenta aquí, así que ya puede iniciar sesión con ella. Añada una llave de acceso en otro dispositivo.',
    clientNotSupported: 'Este dispositivo no puede crear el tipo de llave de acceso que pide esta aplicación. Pruebe con otro dispositivo o con otro método.',
    clientConstraint: 'Este dispositivo no puede comprobar que es usted (huella, rostro, PIN o bloqueo de pantalla), algo que esta aplicación exige. Pruebe con otro dispositivo o con otro método.',
    clientUnknown: 'Su navegador no pudo usar una llave de acceso. Inténtelo de nuevo o pruebe otro método.',
    notAccepted: 'La aplicación no acepta llaves de acceso para este inicio de sesión.',
    notThisSignIn: 'Esta llave de acceso no forma parte de este inicio de sesión. Vuelva a empezar desde la aplicación.',
    wrongSite: 'Las llaves de acceso de {app} no se pueden usar en esta página (pertenecen a otra dirección). Use otro método.',
    noRequest: 'No se inició ninguna solicitud de llave de acceso en esta página. Vuelva a empezar desde la aplicación.',
    notAResponse: 'Su navegador envió una respuesta que no es de una llave de acceso. Inténtelo de nuevo.',
    notAccepted2: 'Su llave de acceso no fue aceptada. Inténtelo de nuevo.',
    notRegistered: 'Esa llave de acceso no está registrada para su cuenta en {app}. Elija la llave de acceso «{name}» o pruebe otro método.',
    didNotVerify: 'La respuesta de su llave de acceso no se pudo verificar para esta página (se firmó para otra solicitud u otro sitio). Inténtelo de nuevo.',
    counterBackwards: 'Esta llave de acceso fue rechazada: su contador de firmas retrocedió, lo que ocurre cuando se ha copiado una llave de acceso. Use otro método y revise las llaves de acceso de su cuenta.',
    expired: 'La solicitud de la llave de acceso caducó o ya se usó. Hemos preparado una nueva: inténtelo de nuevo.',
    tooMany: 'Demasiados intentos fallidos con llave de acceso para esta cuenta.{retry} Use otro método.',
    gone: 'La solicitud de la llave de acceso ya no existe. Hemos preparado una nueva: inténtelo de nuevo.',
    retryIn: (p) => ` Inténtelo de nuevo en ${minutesOrSeconds(Number(p['seconds']), (n) => `${n} minutos`, (n) => (n === 1 ? '1 segundo' : `${n} segundos`))}.`,
    accountChanged: 'Esta cuenta cambió desde que se abrió la página. Vuelva a empezar desde la aplicación.',
    badAccountName: 'El nombre de esta cuenta no admite métodos de inicio de sesión aquí. Consulte al soporte de la aplicación.',
    alreadyCompleted: 'Esta página ya se completó. Vuelva a empezar desde la aplicación para configurar otro método.',
    notHere: 'Las llaves de acceso de {app} no se pueden añadir en esta página (pertenecen a otra dirección). Elija otro método.',
    friendlyName: 'Llave de acceso para {app}',
    regDidNotVerify: 'La nueva llave de acceso de su dispositivo no se pudo verificar para esta página (el sitio o la solicitud no coincidían). Inténtelo de nuevo.',
    regTooMany: 'Demasiados intentos fallidos al añadir esta llave de acceso. Hemos preparado una nueva: inténtelo de nuevo.',
    regTooLong: 'Añadir la llave de acceso tardó demasiado (5 minutos como máximo). Hemos preparado una nueva solicitud: inténtelo de nuevo.',
    noEnrollment: 'No se está añadiendo ninguna llave de acceso en esta página. Vuelva a empezar desde la página de configuración.',
    added: 'Llave de acceso añadida: la próxima vez que {app} le pida confirmar que es usted, elija «Usar una llave de acceso».',
    notANewPasskey: 'Su navegador envió una respuesta que no es una nueva llave de acceso. Inténtelo de nuevo.',
    notAdded: 'La llave de acceso no se añadió. Inténtelo de nuevo.',
    identifyTitle: 'Iniciar sesión con una llave de acceso',
    identifyLead: 'Inicie sesión en {app} con la llave de acceso guardada en este dispositivo o en su teléfono: sin nombre de usuario ni contraseña. Su dispositivo le pide su huella, su cara, su PIN o el bloqueo de pantalla.',
    identifyButton: 'Iniciar sesión con una llave de acceso',
    identifyBack: 'Volver a {app} (iniciar sesión con su contraseña)',
    identifyUnknown: 'Esta llave de acceso no está registrada en {app} o fue eliminada. Elija otra llave de acceso, o vuelva e inicie sesión con su contraseña.',
    identifyNoUv: 'Su dispositivo no confirmó que es usted (huella, cara, PIN o bloqueo de pantalla): sin ello, una llave de acceso sola no puede iniciar su sesión. Inténtelo de nuevo y desbloquee su dispositivo cuando se lo pida.',
    identifyNotHere: 'Las llaves de acceso de {app} no se pueden usar en esta página (pertenecen a otra dirección). Vuelva e inicie sesión con su contraseña.',
  },
};
