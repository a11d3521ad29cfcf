import type { Messages } from './i18n.ts';

/**
 * What the call pages say: the pages (call-pages.ts), the reasons hosted-call.ts gives, and the
 * call's progress steps that the page's script shows (rendered as `data-msg-*` attributes, see
 * CALL_SCRIPT_MESSAGES). French puts a narrow no-break space (U+202F) before `? : ;`.
 */
export type CallMessageKey =
  // The pages.
  | 'codeTitle'
  | 'codeLead'
  | 'codeStatus'
  | 'progressLabel'
  | 'callAgain'
  | 'textInstead'
  | 'missedTheCall'
  | 'noCall'
  | 'cancel'
  | 'approveTitle'
  | 'approveLead'
  | 'keyInOnCall'
  | 'approveStatus'
  | 'approveContinue'
  | 'flashTitle'
  | 'flashLead'
  | 'flashStatus'
  | 'flashLabel'
  | 'flashHint'
  | 'verify'
  // The call's progress, shown by the script.
  | 'stepCalling'
  | 'statusCalling'
  | 'stepRinging'
  | 'statusRinging'
  | 'statusRingingFlash'
  | 'stepAnswered'
  | 'statusAnsweredCode'
  | 'statusAnsweredApprove'
  | 'statusAnsweredFlash'
  | 'stepCodeRead'
  | 'statusCodeRead'
  | 'stepAsked'
  | 'statusAsked'
  | 'stepKeysReceived'
  | 'statusKeysReceived'
  | 'stepKeyPressed'
  | 'statusRepeating'
  | 'stepApproved'
  | 'statusApproved'
  | 'stepDenied'
  | 'statusDenied'
  | 'stepExpired'
  | 'statusExpired'
  | 'stepTooMany'
  | 'statusTooMany'
  | 'stepEnded'
  | 'statusEndedCode'
  | 'statusEndedEarly'
  | 'statusEndedFlash'
  | 'statusEnded'
  | 'stepMissed'
  | 'statusMissed'
  | 'stepNoAnswer'
  | 'statusNoAnswer'
  | 'stepBusy'
  | 'statusBusy'
  | 'stepDeclined'
  | 'statusDeclined'
  | 'stepFailed'
  | 'statusFailed'
  | 'stepCanceled'
  | 'statusCanceled'
  | 'statusAgain'
  // The reasons of hosted-call.ts.
  | 'alreadyCompleted'
  | 'callsNotAccepted'
  | 'flashNotAccepted'
  | 'stillCalling'
  | 'stillCallingHangUp'
  | 'tooManySends'
  | 'retryMinutes'
  | 'retrySeconds'
  | 'callsUnavailable'
  | 'flashUnavailable'
  | 'countryNotAllowed'
  | 'couldNotCall'
  | 'endNoAnswer'
  | 'endBusy'
  | 'endRejected'
  | 'endCompleted'
  | 'endOther'
  | 'callEnded'
  | 'noApprovalStarted'
  | 'approvalGone'
  | 'deniedOnCall'
  | 'callFailed'
  | 'approvalExpired'
  | 'notApprovedYet'
  | 'noFlashStarted'
  | 'enterLastDigits'
  | 'tooManyWrongNumbers'
  | 'flashExpired'
  | 'wrongDigits'
  | 'wrongOrExpired';

/** The progress messages the script reads, in the order of its events. */
export const CALL_SCRIPT_MESSAGES = [
  'stepCalling',
  'statusCalling',
  'stepRinging',
  'statusRinging',
  'statusRingingFlash',
  'stepAnswered',
  'statusAnsweredCode',
  'statusAnsweredApprove',
  'statusAnsweredFlash',
  'stepCodeRead',
  'statusCodeRead',
  'stepAsked',
  'statusAsked',
  'stepKeysReceived',
  'statusKeysReceived',
  'stepKeyPressed',
  'statusRepeating',
  'stepApproved',
  'statusApproved',
  'stepDenied',
  'statusDenied',
  'stepExpired',
  'statusExpired',
  'stepTooMany',
  'statusTooMany',
  'stepEnded',
  'statusEndedCode',
  'statusEndedEarly',
  'statusEndedFlash',
  'statusEnded',
  'stepMissed',
  'statusMissed',
  'stepNoAnswer',
  'statusNoAnswer',
  'stepBusy',
  'statusBusy',
  'stepDeclined',
  'statusDeclined',
  'stepFailed',
  'statusFailed',
  'stepCanceled',
  'statusCanceled',
  'statusAgain',
] as const satisfies readonly CallMessageKey[];

export const CALL_MESSAGES: Messages<CallMessageKey> = {
  en: {
    codeTitle: 'Enter your code',
    codeLead: 'We are calling {phone} to read you a code. Answer, listen, and enter the code here.',
    codeStatus: 'We are calling your phone.',
    progressLabel: 'Call progress',
    callAgain: 'Call again',
    textInstead: 'Text me instead',
    missedTheCall: 'Missed the call?',
    noCall: 'No call?',
    cancel: 'Cancel and go back to {app}',
    approveTitle: 'Approve with a call',
    approveLead: 'We are calling {phone}. Answer, and when asked, key in this number to approve your sign-in to {app}.',
    keyInOnCall: 'Key in on the call:',
    approveStatus: 'We are calling your phone. This page continues by itself once you answer on the call.',
    approveContinue: 'I keyed it in — continue',
    flashTitle: 'Enter the caller’s number',
    flashLead: 'We are calling you from a number starting with {prefix}: enter its last {digits} digits. You need not answer: the call stops by itself.',
    flashStatus: 'We are calling your number ending in {last}.',
    flashLabel: 'Last {digits} digits of the caller’s number',
    flashHint: 'The number starts with {prefix}; type only what follows ({digits} digits).',
    verify: 'Verify',
    stepCalling: 'Calling',
    statusCalling: 'Calling your phone…',
    stepRinging: 'Ringing',
    statusRinging: 'Your phone is ringing. Answer it.',
    statusRingingFlash: 'Your phone is ringing: look at the number calling you. You need not answer.',
    stepAnswered: 'Answered',
    statusAnsweredCode: 'Call answered. Listen for your code.',
    statusAnsweredApprove: 'Call answered. When asked, key in the number shown here.',
    statusAnsweredFlash: 'Call answered: the number that called you is the one to enter.',
    stepCodeRead: 'Code read out',
    statusCodeRead: 'We read your code out. Enter it below.',
    stepAsked: 'Asked for the number',
    statusAsked: 'Waiting for you to key in the number on the call…',
    stepKeysReceived: 'Keys received',
    statusKeysReceived: 'Keys received. Checking…',
    stepKeyPressed: 'Key pressed',
    statusRepeating: 'Reading the code again…',
    stepApproved: 'Approved',
    statusApproved: 'Approved on the call. Signing you in…',
    stepDenied: 'Denied',
    statusDenied: 'Denied on the call.',
    stepExpired: 'Expired',
    statusExpired: 'This request expired.',
    stepTooMany: 'Too many attempts',
    statusTooMany: 'Too many wrong attempts.',
    stepEnded: 'Call ended',
    statusEndedCode: 'Call ended. Enter the code you heard.',
    statusEndedEarly: 'The call ended before we read your code.',
    statusEndedFlash: 'Call ended. Enter the last digits of the number that called you.',
    statusEnded: 'The call ended.',
    stepMissed: 'Missed call',
    statusMissed: 'Missed call received. Enter the last digits of its number.',
    stepNoAnswer: 'No answer',
    statusNoAnswer: 'No answer.',
    stepBusy: 'Busy',
    statusBusy: 'Your line was busy.',
    stepDeclined: 'Declined',
    statusDeclined: 'The call was declined.',
    stepFailed: 'Failed',
    statusFailed: 'The call failed.',
    stepCanceled: 'Canceled',
    statusCanceled: 'The call was canceled.',
    statusAgain: 'Call again, or try another way.',
    alreadyCompleted: 'This sign-in was already completed. Start again from the application if you need to sign in again.',
    callsNotAccepted: 'The application does not accept calls to your phone for this sign-in.',
    flashNotAccepted: 'The application does not accept missed calls to your phone for this sign-in.',
    stillCalling: 'We are still on a call to your phone. Answer it, or wait for it to end, then call again.',
    stillCallingHangUp: 'We are still on a call to your phone. Hang up or wait for it to end, then try again.',
    tooManySends: 'Too many codes and calls were sent to your phone.{retry} Use another method, or try again later.',
    retryMinutes: 'Try again in {minutes} minutes.',
    retrySeconds: ({ seconds }) => `Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
    callsUnavailable: 'Calls are not available right now. Use another method.',
    flashUnavailable: 'Missed calls are not available right now. Use another method.',
    countryNotAllowed: 'We cannot call phone numbers in your country for this application. Use another method.',
    couldNotCall: 'We could not call your phone. Use another method.',
    endNoAnswer: 'You did not answer our call.',
    endBusy: 'Your line was busy when we called.',
    endRejected: 'Our call was declined.',
    endCompleted: 'The call ended before the digits were keyed in.',
    endOther: 'We could not complete the call to your phone.',
    callEnded: '{reason} Call again, or use another method.',
    noApprovalStarted: 'No call approval was started on this page. Start again from the application.',
    approvalGone: 'This call approval no longer exists. Try again or use another method.',
    deniedOnCall:
      'The sign-in was denied on the call (other digits than the ones shown here were keyed in, or the star key). If that was not you, someone may know your password. Otherwise, try again or use another method.',
    callFailed: 'We could not complete the call to your phone. Try again or use another method.',
    approvalExpired: 'The call approval expired before it was approved. Try again or use another method.',
    notApprovedYet: 'Not approved yet. Answer the call and key in the two digits shown here.',
    noFlashStarted: 'No missed call was started on this page. Start again from the application.',
    enterLastDigits: 'Enter the last {digits} digits of the number that called you.',
    tooManyWrongNumbers: 'Too many wrong numbers.{retry} Ask for a new call or use another method.',
    flashExpired: 'This missed call has expired or was already used. Ask for a new call or use another method.',
    wrongDigits: 'Those are not the last digits of the number that called you. Check the last {digits} digits of the missed call and try again.',
    wrongOrExpired: 'Too many wrong numbers, or the missed call expired. Ask for a new call or use another method.',
  },
  de: {
    codeTitle: 'Code eingeben',
    codeLead: 'Wir rufen {phone} an und lesen Ihnen einen Code vor. Nehmen Sie den Anruf an, hören Sie zu und geben Sie den Code hier ein.',
    codeStatus: 'Wir rufen Ihr Telefon an.',
    progressLabel: 'Verlauf des Anrufs',
    callAgain: 'Erneut anrufen',
    textInstead: 'Stattdessen per SMS',
    missedTheCall: 'Anruf verpasst?',
    noCall: 'Kein Anruf?',
    cancel: 'Abbrechen und zurück zu {app}',
    approveTitle: 'Per Anruf bestätigen',
    approveLead: 'Wir rufen {phone} an. Nehmen Sie den Anruf an und geben Sie auf Aufforderung diese Zahl ein, um Ihre Anmeldung bei {app} zu bestätigen.',
    keyInOnCall: 'Im Anruf eingeben:',
    approveStatus: 'Wir rufen Ihr Telefon an. Sobald Sie im Anruf geantwortet haben, geht es auf dieser Seite von selbst weiter.',
    approveContinue: 'Ich habe sie eingegeben – weiter',
    flashTitle: 'Geben Sie die Nummer des Anrufers ein',
    flashLead: 'Wir rufen Sie von einer Nummer an, die mit {prefix} beginnt: Geben Sie deren letzte {digits} Ziffern ein. Sie müssen nicht abnehmen: Der Anruf endet von selbst.',
    flashStatus: 'Wir rufen Ihre Nummer mit der Endung {last} an.',
    flashLabel: 'Letzte {digits} Ziffern der Nummer des Anrufers',
    flashHint: 'Die Nummer beginnt mit {prefix}; geben Sie nur den Rest ein ({digits} Ziffern).',
    verify: 'Bestätigen',
    stepCalling: 'Anruf wird aufgebaut',
    statusCalling: 'Ihr Telefon wird angerufen …',
    stepRinging: 'Es klingelt',
    statusRinging: 'Ihr Telefon klingelt. Bitte nehmen Sie ab.',
    statusRingingFlash: 'Ihr Telefon klingelt: Achten Sie auf die anrufende Nummer. Sie müssen nicht abnehmen.',
    stepAnswered: 'Angenommen',
    statusAnsweredCode: 'Anruf angenommen. Hören Sie auf Ihren Code.',
    statusAnsweredApprove: 'Anruf angenommen. Geben Sie auf Aufforderung die hier angezeigte Zahl ein.',
    statusAnsweredFlash: 'Anruf angenommen: Geben Sie die Nummer ein, die Sie angerufen hat.',
    stepCodeRead: 'Code vorgelesen',
    statusCodeRead: 'Wir haben Ihnen den Code vorgelesen. Geben Sie ihn unten ein.',
    stepAsked: 'Nach der Zahl gefragt',
    statusAsked: 'Wir warten, bis Sie die Zahl im Anruf eingeben …',
    stepKeysReceived: 'Eingabe erhalten',
    statusKeysReceived: 'Eingabe erhalten. Wird geprüft …',
    stepKeyPressed: 'Taste gedrückt',
    statusRepeating: 'Der Code wird noch einmal vorgelesen …',
    stepApproved: 'Bestätigt',
    statusApproved: 'Im Anruf bestätigt. Sie werden angemeldet …',
    stepDenied: 'Abgelehnt',
    statusDenied: 'Im Anruf abgelehnt.',
    stepExpired: 'Abgelaufen',
    statusExpired: 'Diese Anfrage ist abgelaufen.',
    stepTooMany: 'Zu viele Versuche',
    statusTooMany: 'Zu viele falsche Versuche.',
    stepEnded: 'Anruf beendet',
    statusEndedCode: 'Anruf beendet. Geben Sie den Code ein, den Sie gehört haben.',
    statusEndedEarly: 'Der Anruf wurde beendet, bevor wir Ihnen den Code vorlesen konnten.',
    statusEndedFlash: 'Anruf beendet. Geben Sie die letzten Ziffern der Nummer ein, die Sie angerufen hat.',
    statusEnded: 'Der Anruf wurde beendet.',
    stepMissed: 'Verpasster Anruf',
    statusMissed: 'Verpasster Anruf eingegangen. Geben Sie die letzten Ziffern seiner Nummer ein.',
    stepNoAnswer: 'Keine Antwort',
    statusNoAnswer: 'Keine Antwort.',
    stepBusy: 'Besetzt',
    statusBusy: 'Ihre Leitung war besetzt.',
    stepDeclined: 'Abgewiesen',
    statusDeclined: 'Der Anruf wurde abgewiesen.',
    stepFailed: 'Fehlgeschlagen',
    statusFailed: 'Der Anruf ist fehlgeschlagen.',
    stepCanceled: 'Abgebrochen',
    statusCanceled: 'Der Anruf wurde abgebrochen.',
    statusAgain: 'Fordern Sie einen neuen Anruf an oder wählen Sie eine andere Methode.',
    alreadyCompleted: 'Diese Anmeldung wurde bereits abgeschlossen. Beginnen Sie erneut in der Anwendung, wenn Sie sich noch einmal anmelden möchten.',
    callsNotAccepted: 'Die Anwendung akzeptiert für diese Anmeldung keine Anrufe auf Ihr Telefon.',
    flashNotAccepted: 'Die Anwendung akzeptiert für diese Anmeldung keine verpassten Anrufe auf Ihr Telefon.',
    stillCalling: 'Wir rufen Ihr Telefon noch an. Nehmen Sie den Anruf an oder warten Sie, bis er endet, und fordern Sie dann einen neuen Anruf an.',
    stillCallingHangUp: 'Wir rufen Ihr Telefon noch an. Legen Sie auf oder warten Sie, bis der Anruf endet, und versuchen Sie es dann erneut.',
    tooManySends: 'Es wurden zu viele Codes und Anrufe an Ihr Telefon gesendet.{retry} Verwenden Sie eine andere Methode oder versuchen Sie es später erneut.',
    retryMinutes: 'Versuchen Sie es in {minutes} Minuten erneut.',
    retrySeconds: ({ seconds }) => `Versuchen Sie es in ${seconds} ${seconds === 1 ? 'Sekunde' : 'Sekunden'} erneut.`,
    callsUnavailable: 'Anrufe sind derzeit nicht verfügbar. Verwenden Sie eine andere Methode.',
    flashUnavailable: 'Verpasste Anrufe sind derzeit nicht verfügbar. Verwenden Sie eine andere Methode.',
    countryNotAllowed: 'Für diese Anwendung können wir keine Telefonnummern in Ihrem Land anrufen. Verwenden Sie eine andere Methode.',
    couldNotCall: 'Wir konnten Ihr Telefon nicht anrufen. Verwenden Sie eine andere Methode.',
    endNoAnswer: 'Sie haben unseren Anruf nicht angenommen.',
    endBusy: 'Ihre Leitung war bei unserem Anruf besetzt.',
    endRejected: 'Unser Anruf wurde abgewiesen.',
    endCompleted: 'Der Anruf wurde beendet, bevor die Ziffern eingegeben wurden.',
    endOther: 'Der Anruf auf Ihr Telefon konnte nicht abgeschlossen werden.',
    callEnded: '{reason} Fordern Sie einen neuen Anruf an oder verwenden Sie eine andere Methode.',
    noApprovalStarted: 'Auf dieser Seite wurde keine Bestätigung per Anruf gestartet. Beginnen Sie erneut in der Anwendung.',
    approvalGone: 'Diese Bestätigung per Anruf besteht nicht mehr. Versuchen Sie es erneut oder verwenden Sie eine andere Methode.',
    deniedOnCall:
      'Die Anmeldung wurde im Anruf abgelehnt (es wurden andere als die hier angezeigten Ziffern oder die Sterntaste eingegeben). Falls Sie das nicht waren, kennt möglicherweise jemand Ihr Passwort. Andernfalls versuchen Sie es erneut oder verwenden Sie eine andere Methode.',
    callFailed: 'Der Anruf auf Ihr Telefon konnte nicht abgeschlossen werden. Versuchen Sie es erneut oder verwenden Sie eine andere Methode.',
    approvalExpired: 'Die Bestätigung per Anruf ist abgelaufen, bevor sie erteilt wurde. Versuchen Sie es erneut oder verwenden Sie eine andere Methode.',
    notApprovedYet: 'Noch nicht bestätigt. Nehmen Sie den Anruf an und geben Sie die zwei hier angezeigten Ziffern ein.',
    noFlashStarted: 'Auf dieser Seite wurde kein verpasster Anruf angefordert. Beginnen Sie erneut in der Anwendung.',
    enterLastDigits: 'Geben Sie die letzten {digits} Ziffern der Nummer ein, die Sie angerufen hat.',
    tooManyWrongNumbers: 'Zu viele falsche Nummern.{retry} Fordern Sie einen neuen Anruf an oder verwenden Sie eine andere Methode.',
    flashExpired: 'Dieser verpasste Anruf ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen Anruf an oder verwenden Sie eine andere Methode.',
    wrongDigits: 'Das sind nicht die letzten Ziffern der Nummer, die Sie angerufen hat. Prüfen Sie die letzten {digits} Ziffern des verpassten Anrufs und versuchen Sie es erneut.',
    wrongOrExpired: 'Zu viele falsche Nummern, oder der verpasste Anruf ist abgelaufen. Fordern Sie einen neuen Anruf an oder verwenden Sie eine andere Methode.',
  },
  fr: {
    codeTitle: 'Saisissez votre code',
    codeLead: 'Nous appelons le {phone} pour vous lire un code. Décrochez, écoutez, puis saisissez le code ici.',
    codeStatus: 'Nous appelons votre téléphone.',
    progressLabel: 'Déroulement de l’appel',
    callAgain: 'Rappeler',
    textInstead: 'Recevoir un SMS à la place',
    missedTheCall: 'Appel manqué\u202f?',
    noCall: 'Pas d’appel\u202f?',
    cancel: 'Annuler et revenir à {app}',
    approveTitle: 'Approuver par un appel',
    approveLead: 'Nous appelons le {phone}. Décrochez et, lorsque cela vous est demandé, saisissez ce nombre pour approuver votre connexion à {app}.',
    keyInOnCall: 'À saisir pendant l’appel\u202f:',
    approveStatus: 'Nous appelons votre téléphone. Cette page continuera d’elle-même dès que vous aurez répondu pendant l’appel.',
    approveContinue: 'Je l’ai saisi — continuer',
    flashTitle: 'Saisissez le numéro de l’appelant',
    flashLead: 'Nous vous appelons depuis un numéro commençant par {prefix}\u202f: saisissez ses {digits} derniers chiffres. Inutile de répondre\u202f: l’appel s’arrête de lui-même.',
    flashStatus: 'Nous appelons votre numéro se terminant par {last}.',
    flashLabel: 'Les {digits} derniers chiffres du numéro de l’appelant',
    flashHint: 'Le numéro commence par {prefix}\u202f; saisissez seulement la suite ({digits} chiffres).',
    verify: 'Valider',
    stepCalling: 'Appel en cours',
    statusCalling: 'Appel de votre téléphone…',
    stepRinging: 'Sonnerie',
    statusRinging: 'Votre téléphone sonne. Veuillez décrocher.',
    statusRingingFlash: 'Votre téléphone sonne\u202f: regardez le numéro qui vous appelle. Inutile de répondre.',
    stepAnswered: 'Décroché',
    statusAnsweredCode: 'Appel décroché. Écoutez votre code.',
    statusAnsweredApprove: 'Appel décroché. Lorsque cela vous est demandé, saisissez le nombre affiché ici.',
    statusAnsweredFlash: 'Appel décroché\u202f: c’est le numéro qui vous a appelé qu’il faut saisir.',
    stepCodeRead: 'Code lu',
    statusCodeRead: 'Nous vous avons lu votre code. Saisissez-le ci-dessous.',
    stepAsked: 'Nombre demandé',
    statusAsked: 'En attente de la saisie du nombre pendant l’appel…',
    stepKeysReceived: 'Touches reçues',
    statusKeysReceived: 'Touches reçues. Vérification…',
    stepKeyPressed: 'Touche appuyée',
    statusRepeating: 'Nouvelle lecture du code…',
    stepApproved: 'Approuvé',
    statusApproved: 'Approuvé pendant l’appel. Connexion en cours…',
    stepDenied: 'Refusé',
    statusDenied: 'Refusé pendant l’appel.',
    stepExpired: 'Expiré',
    statusExpired: 'Cette demande a expiré.',
    stepTooMany: 'Trop de tentatives',
    statusTooMany: 'Trop de tentatives erronées.',
    stepEnded: 'Appel terminé',
    statusEndedCode: 'Appel terminé. Saisissez le code que vous avez entendu.',
    statusEndedEarly: 'L’appel s’est terminé avant que nous ayons pu vous lire votre code.',
    statusEndedFlash: 'Appel terminé. Saisissez les derniers chiffres du numéro qui vous a appelé.',
    statusEnded: 'L’appel est terminé.',
    stepMissed: 'Appel manqué',
    statusMissed: 'Appel manqué reçu. Saisissez les derniers chiffres de son numéro.',
    stepNoAnswer: 'Pas de réponse',
    statusNoAnswer: 'Pas de réponse.',
    stepBusy: 'Occupé',
    statusBusy: 'Votre ligne était occupée.',
    stepDeclined: 'Rejeté',
    statusDeclined: 'L’appel a été rejeté.',
    stepFailed: 'Échec',
    statusFailed: 'L’appel a échoué.',
    stepCanceled: 'Annulé',
    statusCanceled: 'L’appel a été annulé.',
    statusAgain: 'Demandez un nouvel appel ou essayez une autre méthode.',
    alreadyCompleted: 'Cette connexion a déjà été effectuée. Recommencez depuis l’application si vous devez vous reconnecter.',
    callsNotAccepted: 'L’application n’accepte pas les appels vers votre téléphone pour cette connexion.',
    flashNotAccepted: 'L’application n’accepte pas les appels manqués vers votre téléphone pour cette connexion.',
    stillCalling: 'Un appel vers votre téléphone est encore en cours. Répondez ou attendez qu’il se termine, puis demandez un nouvel appel.',
    stillCallingHangUp: 'Un appel vers votre téléphone est encore en cours. Raccrochez ou attendez qu’il se termine, puis réessayez.',
    tooManySends: 'Trop de codes et d’appels ont été envoyés à votre téléphone.{retry} Utilisez une autre méthode ou réessayez plus tard.',
    retryMinutes: 'Réessayez dans {minutes} minutes.',
    retrySeconds: ({ seconds }) => `Réessayez dans ${seconds} ${seconds === 1 ? 'seconde' : 'secondes'}.`,
    callsUnavailable: 'Les appels ne sont pas disponibles pour le moment. Utilisez une autre méthode.',
    flashUnavailable: 'Les appels manqués ne sont pas disponibles pour le moment. Utilisez une autre méthode.',
    countryNotAllowed: 'Nous ne pouvons pas appeler les numéros de votre pays pour cette application. Utilisez une autre méthode.',
    couldNotCall: 'Nous n’avons pas pu appeler votre téléphone. Utilisez une autre méthode.',
    endNoAnswer: 'Vous n’avez pas répondu à notre appel.',
    endBusy: 'Votre ligne était occupée lors de notre appel.',
    endRejected: 'Notre appel a été rejeté.',
    endCompleted: 'L’appel s’est terminé avant la saisie des chiffres.',
    endOther: 'Nous n’avons pas pu mener à bien l’appel vers votre téléphone.',
    callEnded: '{reason} Demandez un nouvel appel ou utilisez une autre méthode.',
    noApprovalStarted: 'Aucune approbation par appel n’a été lancée sur cette page. Recommencez depuis l’application.',
    approvalGone: 'Cette approbation par appel n’existe plus. Réessayez ou utilisez une autre méthode.',
    deniedOnCall:
      'La connexion a été refusée pendant l’appel (des chiffres autres que ceux affichés ici ont été saisis, ou la touche étoile). Si ce n’était pas vous, quelqu’un connaît peut-être votre mot de passe. Sinon, réessayez ou utilisez une autre méthode.',
    callFailed: 'Nous n’avons pas pu mener à bien l’appel vers votre téléphone. Réessayez ou utilisez une autre méthode.',
    approvalExpired: 'La demande d’approbation par appel a expiré avant d’être approuvée. Réessayez ou utilisez une autre méthode.',
    notApprovedYet: 'Pas encore approuvé. Répondez à l’appel et saisissez les deux chiffres affichés ici.',
    noFlashStarted: 'Aucun appel manqué n’a été demandé sur cette page. Recommencez depuis l’application.',
    enterLastDigits: 'Saisissez les {digits} derniers chiffres du numéro qui vous a appelé.',
    tooManyWrongNumbers: 'Trop de numéros erronés.{retry} Demandez un nouvel appel ou utilisez une autre méthode.',
    flashExpired: 'Cet appel manqué a expiré ou a déjà été utilisé. Demandez un nouvel appel ou utilisez une autre méthode.',
    wrongDigits: 'Ce ne sont pas les derniers chiffres du numéro qui vous a appelé. Vérifiez les {digits} derniers chiffres de l’appel manqué et réessayez.',
    wrongOrExpired: 'Trop de numéros erronés, ou l’appel manqué a expiré. Demandez un nouvel appel ou utilisez une autre méthode.',
  },
  es: {
    codeTitle: 'Introduzca su código',
    codeLead: 'Estamos llamando al {phone} para leerle un código. Conteste, escuche e introduzca el código aquí.',
    codeStatus: 'Estamos llamando a su teléfono.',
    progressLabel: 'Progreso de la llamada',
    callAgain: 'Volver a llamar',
    textInstead: 'Prefiero un SMS',
    missedTheCall: '¿Se perdió la llamada?',
    noCall: '¿No recibió la llamada?',
    cancel: 'Cancelar y volver a {app}',
    approveTitle: 'Aprobar con una llamada',
    approveLead: 'Estamos llamando al {phone}. Conteste y, cuando se le indique, marque este número para aprobar su inicio de sesión en {app}.',
    keyInOnCall: 'Marque durante la llamada:',
    approveStatus: 'Estamos llamando a su teléfono. Esta página continuará automáticamente en cuanto responda en la llamada.',
    approveContinue: 'Ya lo he marcado: continuar',
    flashTitle: 'Introduzca el número que le llama',
    flashLead: 'Le llamamos desde un número que empieza por {prefix}: introduzca sus últimos {digits} dígitos. No hace falta que conteste: la llamada se corta sola.',
    flashStatus: 'Estamos llamando a su número terminado en {last}.',
    flashLabel: 'Últimos {digits} dígitos del número que le llama',
    flashHint: 'El número empieza por {prefix}; escriba solo lo que sigue ({digits} dígitos).',
    verify: 'Verificar',
    stepCalling: 'Llamando',
    statusCalling: 'Llamando a su teléfono…',
    stepRinging: 'Sonando',
    statusRinging: 'Su teléfono está sonando. Conteste, por favor.',
    statusRingingFlash: 'Su teléfono está sonando: fíjese en el número que le llama. No hace falta que conteste.',
    stepAnswered: 'Contestada',
    statusAnsweredCode: 'Llamada contestada. Escuche su código.',
    statusAnsweredApprove: 'Llamada contestada. Cuando se le indique, marque el número que aparece aquí.',
    statusAnsweredFlash: 'Llamada contestada: debe introducir el número que le llamó.',
    stepCodeRead: 'Código leído',
    statusCodeRead: 'Le hemos leído su código. Introdúzcalo abajo.',
    stepAsked: 'Número solicitado',
    statusAsked: 'Esperando a que marque el número en la llamada…',
    stepKeysReceived: 'Teclas recibidas',
    statusKeysReceived: 'Teclas recibidas. Comprobando…',
    stepKeyPressed: 'Tecla pulsada',
    statusRepeating: 'Leyendo el código de nuevo…',
    stepApproved: 'Aprobado',
    statusApproved: 'Aprobado en la llamada. Iniciando sesión…',
    stepDenied: 'Denegado',
    statusDenied: 'Denegado en la llamada.',
    stepExpired: 'Caducado',
    statusExpired: 'Esta solicitud ha caducado.',
    stepTooMany: 'Demasiados intentos',
    statusTooMany: 'Demasiados intentos incorrectos.',
    stepEnded: 'Llamada finalizada',
    statusEndedCode: 'Llamada finalizada. Introduzca el código que ha oído.',
    statusEndedEarly: 'La llamada terminó antes de que le leyéramos el código.',
    statusEndedFlash: 'Llamada finalizada. Introduzca los últimos dígitos del número que le llamó.',
    statusEnded: 'La llamada ha finalizado.',
    stepMissed: 'Llamada perdida',
    statusMissed: 'Llamada perdida recibida. Introduzca los últimos dígitos de su número.',
    stepNoAnswer: 'Sin respuesta',
    statusNoAnswer: 'Sin respuesta.',
    stepBusy: 'Ocupado',
    statusBusy: 'Su línea estaba ocupada.',
    stepDeclined: 'Rechazada',
    statusDeclined: 'La llamada fue rechazada.',
    stepFailed: 'Error',
    statusFailed: 'La llamada ha fallado.',
    stepCanceled: 'Cancelada',
    statusCanceled: 'La llamada fue cancelada.',
    statusAgain: 'Solicite otra llamada o pruebe otro método.',
    alreadyCompleted: 'Este inicio de sesión ya se completó. Vuelva a empezar desde la aplicación si necesita iniciar sesión de nuevo.',
    callsNotAccepted: 'La aplicación no admite llamadas a su teléfono para este inicio de sesión.',
    flashNotAccepted: 'La aplicación no admite llamadas perdidas a su teléfono para este inicio de sesión.',
    stillCalling: 'Todavía hay una llamada en curso a su teléfono. Contéstela o espere a que termine y después solicite otra llamada.',
    stillCallingHangUp: 'Todavía hay una llamada en curso a su teléfono. Cuelgue o espere a que termine y vuelva a intentarlo.',
    tooManySends: 'Se han enviado demasiados códigos y llamadas a su teléfono.{retry} Use otro método o vuelva a intentarlo más tarde.',
    retryMinutes: 'Vuelva a intentarlo dentro de {minutes} minutos.',
    retrySeconds: ({ seconds }) => `Vuelva a intentarlo dentro de ${seconds} ${seconds === 1 ? 'segundo' : 'segundos'}.`,
    callsUnavailable: 'Las llamadas no están disponibles en este momento. Use otro método.',
    flashUnavailable: 'Las llamadas perdidas no están disponibles en este momento. Use otro método.',
    countryNotAllowed: 'No podemos llamar a números de teléfono de su país para esta aplicación. Use otro método.',
    couldNotCall: 'No hemos podido llamar a su teléfono. Use otro método.',
    endNoAnswer: 'No contestó a nuestra llamada.',
    endBusy: 'Su línea estaba ocupada cuando llamamos.',
    endRejected: 'Nuestra llamada fue rechazada.',
    endCompleted: 'La llamada terminó antes de que se marcaran los dígitos.',
    endOther: 'No hemos podido completar la llamada a su teléfono.',
    callEnded: '{reason} Solicite otra llamada o use otro método.',
    noApprovalStarted: 'No se inició ninguna aprobación por llamada en esta página. Vuelva a empezar desde la aplicación.',
    approvalGone: 'Esta aprobación por llamada ya no existe. Vuelva a intentarlo o use otro método.',
    deniedOnCall:
      'El inicio de sesión se denegó en la llamada (se marcaron dígitos distintos de los que aparecen aquí, o la tecla asterisco). Si no fue usted, puede que alguien conozca su contraseña. Si fue usted, vuelva a intentarlo o use otro método.',
    callFailed: 'No hemos podido completar la llamada a su teléfono. Vuelva a intentarlo o use otro método.',
    approvalExpired: 'La aprobación por llamada caducó antes de ser aprobada. Vuelva a intentarlo o use otro método.',
    notApprovedYet: 'Todavía no se ha aprobado. Conteste la llamada y marque los dos dígitos que aparecen aquí.',
    noFlashStarted: 'No se solicitó ninguna llamada perdida en esta página. Vuelva a empezar desde la aplicación.',
    enterLastDigits: 'Introduzca los últimos {digits} dígitos del número que le llamó.',
    tooManyWrongNumbers: 'Demasiados números incorrectos.{retry} Solicite otra llamada o use otro método.',
    flashExpired: 'Esta llamada perdida ha caducado o ya se utilizó. Solicite otra llamada o use otro método.',
    wrongDigits: 'Esos no son los últimos dígitos del número que le llamó. Compruebe los últimos {digits} dígitos de la llamada perdida y vuelva a intentarlo.',
    wrongOrExpired: 'Demasiados números incorrectos, o la llamada perdida ha caducado. Solicite otra llamada o use otro método.',
  },
};
