import type { Locale } from '../../channels/templates/message-templates.ts';

/**
 * What the call flows say, per language (the code read-out itself reuses the message templates).
 * `{name}`, `{amount}` and `{payee}` are filled in; the code is never part of these strings.
 */
export interface CallPrompts {
  pressOneToRepeat: string;
  enterCode: string;
  wrongCode: string;
  codeAccepted: string;
  tooManyWrong: string;
  noInput: string;
  approvePayment: string;
  approveSignIn: string;
  pressOneToApprove: string;
  enterNumberToApprove: string;
  approved: string;
  denied: string;
  noLongerValid: string;
  flashAnswered: string;
  sayPassPhrase: string;
  sayItAgain: string;
  recordAgain: string;
  voiceprintReady: string;
  voiceMatched: string;
  voiceNotMatched: string;
}

export const CALL_PROMPTS: Record<Locale, CallPrompts> = {
  en: {
    pressOneToRepeat: 'To hear the code again, press 1.',
    enterCode: 'Please enter the code shown on your screen.',
    wrongCode: 'That code is not correct.',
    codeAccepted: 'Thank you. Your phone number is verified.',
    tooManyWrong: 'Too many wrong codes. Goodbye.',
    noInput: 'We did not receive any input.',
    approvePayment: 'You are asked to approve a payment of {amount} to {payee}.',
    approveSignIn: 'A sign-in to your account is waiting for your approval.',
    pressOneToApprove: 'To approve, press 1. To deny, press any other key.',
    enterNumberToApprove: 'To approve, enter the two digits shown on your screen. To deny, press the star key.',
    approved: 'Approved. Thank you. Goodbye.',
    denied: 'Denied. If this was not you, please change your password. Goodbye.',
    noLongerValid: 'This request is no longer valid. Goodbye.',
    flashAnswered: 'This call only verifies your phone number. You can hang up now. Goodbye.',
    sayPassPhrase: 'After the beep, say your pass phrase.',
    sayItAgain: 'Thank you. Once more, after the beep.',
    recordAgain: 'We could not hear you well. Please try again after the beep.',
    voiceprintReady: 'Your voiceprint is ready. Goodbye.',
    voiceMatched: 'Thank you. Your voice is verified. Goodbye.',
    voiceNotMatched: 'Your voice did not match. Goodbye.',
  },
  es: {
    pressOneToRepeat: 'Para escuchar el código de nuevo, pulse 1.',
    enterCode: 'Introduzca el código que aparece en su pantalla.',
    wrongCode: 'Ese código no es correcto.',
    codeAccepted: 'Gracias. Su número de teléfono está verificado.',
    tooManyWrong: 'Demasiados códigos incorrectos. Adiós.',
    noInput: 'No hemos recibido ninguna respuesta.',
    approvePayment: 'Se le pide que apruebe un pago de {amount} a {payee}.',
    approveSignIn: 'Un inicio de sesión en su cuenta espera su aprobación.',
    pressOneToApprove: 'Para aprobar, pulse 1. Para rechazar, pulse cualquier otra tecla.',
    enterNumberToApprove: 'Para aprobar, introduzca los dos dígitos que aparecen en su pantalla. Para rechazar, pulse la tecla asterisco.',
    approved: 'Aprobado. Gracias. Adiós.',
    denied: 'Rechazado. Si no fue usted, cambie su contraseña. Adiós.',
    noLongerValid: 'Esta solicitud ya no es válida. Adiós.',
    flashAnswered: 'Esta llamada solo verifica su número de teléfono. Ya puede colgar. Adiós.',
    sayPassPhrase: 'Después del tono, diga su frase de acceso.',
    sayItAgain: 'Gracias. Una vez más, después del tono.',
    recordAgain: 'No le hemos oído bien. Inténtelo de nuevo después del tono.',
    voiceprintReady: 'Su huella de voz está lista. Adiós.',
    voiceMatched: 'Gracias. Su voz ha sido verificada. Adiós.',
    voiceNotMatched: 'Su voz no coincide. Adiós.',
  },
  fr: {
    pressOneToRepeat: 'Pour réentendre le code, appuyez sur 1.',
    enterCode: 'Veuillez saisir le code affiché sur votre écran.',
    wrongCode: "Ce code n'est pas correct.",
    codeAccepted: 'Merci. Votre numéro de téléphone est vérifié.',
    tooManyWrong: 'Trop de codes erronés. Au revoir.',
    noInput: "Nous n'avons reçu aucune saisie.",
    approvePayment: 'Vous devez approuver un paiement de {amount} à {payee}.',
    approveSignIn: 'Une connexion à votre compte attend votre approbation.',
    pressOneToApprove: "Pour approuver, appuyez sur 1. Pour refuser, appuyez sur n'importe quelle autre touche.",
    enterNumberToApprove: 'Pour approuver, saisissez les deux chiffres affichés sur votre écran. Pour refuser, appuyez sur la touche étoile.',
    approved: 'Approuvé. Merci. Au revoir.',
    denied: "Refusé. Si ce n'était pas vous, changez votre mot de passe. Au revoir.",
    noLongerValid: "Cette demande n'est plus valable. Au revoir.",
    flashAnswered: 'Cet appel sert uniquement à vérifier votre numéro. Vous pouvez raccrocher. Au revoir.',
    sayPassPhrase: 'Après le bip, dites votre phrase secrète.',
    sayItAgain: 'Merci. Encore une fois, après le bip.',
    recordAgain: 'Nous vous avons mal entendu. Réessayez après le bip.',
    voiceprintReady: 'Votre empreinte vocale est prête. Au revoir.',
    voiceMatched: 'Merci. Votre voix est vérifiée. Au revoir.',
    voiceNotMatched: 'Votre voix ne correspond pas. Au revoir.',
  },
  de: {
    pressOneToRepeat: 'Um den Code noch einmal zu hören, drücken Sie die 1.',
    enterCode: 'Bitte geben Sie den Code auf Ihrem Bildschirm ein.',
    wrongCode: 'Dieser Code ist nicht korrekt.',
    codeAccepted: 'Danke. Ihre Telefonnummer ist bestätigt.',
    tooManyWrong: 'Zu viele falsche Codes. Auf Wiederhören.',
    noInput: 'Wir haben keine Eingabe erhalten.',
    approvePayment: 'Bitte bestätigen Sie eine Zahlung von {amount} an {payee}.',
    approveSignIn: 'Eine Anmeldung bei Ihrem Konto wartet auf Ihre Freigabe.',
    pressOneToApprove: 'Zum Freigeben drücken Sie die 1. Zum Ablehnen drücken Sie eine andere Taste.',
    enterNumberToApprove: 'Zum Freigeben geben Sie die zwei Ziffern auf Ihrem Bildschirm ein. Zum Ablehnen drücken Sie die Sterntaste.',
    approved: 'Freigegeben. Danke. Auf Wiederhören.',
    denied: 'Abgelehnt. Wenn Sie das nicht waren, ändern Sie bitte Ihr Passwort. Auf Wiederhören.',
    noLongerValid: 'Diese Anfrage ist nicht mehr gültig. Auf Wiederhören.',
    flashAnswered: 'Dieser Anruf bestätigt nur Ihre Telefonnummer. Sie können jetzt auflegen. Auf Wiederhören.',
    sayPassPhrase: 'Sprechen Sie nach dem Signalton Ihren Passsatz.',
    sayItAgain: 'Danke. Noch einmal, nach dem Signalton.',
    recordAgain: 'Wir haben Sie nicht gut verstanden. Bitte versuchen Sie es nach dem Signalton erneut.',
    voiceprintReady: 'Ihr Stimmprofil ist bereit. Auf Wiederhören.',
    voiceMatched: 'Danke. Ihre Stimme ist bestätigt. Auf Wiederhören.',
    voiceNotMatched: 'Ihre Stimme passt nicht. Auf Wiederhören.',
  },
  pt: {
    pressOneToRepeat: 'Para ouvir o código novamente, pressione 1.',
    enterCode: 'Digite o código exibido na sua tela.',
    wrongCode: 'Esse código não está correto.',
    codeAccepted: 'Obrigado. Seu número de telefone foi verificado.',
    tooManyWrong: 'Códigos errados demais. Até logo.',
    noInput: 'Não recebemos nenhuma resposta.',
    approvePayment: 'Você precisa aprovar um pagamento de {amount} para {payee}.',
    approveSignIn: 'Um acesso à sua conta aguarda a sua aprovação.',
    pressOneToApprove: 'Para aprovar, pressione 1. Para recusar, pressione qualquer outra tecla.',
    enterNumberToApprove: 'Para aprovar, digite os dois números exibidos na sua tela. Para recusar, pressione a tecla asterisco.',
    approved: 'Aprovado. Obrigado. Até logo.',
    denied: 'Recusado. Se não foi você, altere a sua senha. Até logo.',
    noLongerValid: 'Esta solicitação não é mais válida. Até logo.',
    flashAnswered: 'Esta chamada apenas verifica o seu número. Você já pode desligar. Até logo.',
    sayPassPhrase: 'Após o sinal, diga sua frase de acesso.',
    sayItAgain: 'Obrigado. Mais uma vez, após o sinal.',
    recordAgain: 'Não ouvimos bem. Tente novamente após o sinal.',
    voiceprintReady: 'Sua impressão de voz está pronta. Até logo.',
    voiceMatched: 'Obrigado. Sua voz foi verificada. Até logo.',
    voiceNotMatched: 'Sua voz não corresponde. Até logo.',
  },
  it: {
    pressOneToRepeat: 'Per riascoltare il codice, premi 1.',
    enterCode: 'Inserisci il codice mostrato sullo schermo.',
    wrongCode: 'Il codice non è corretto.',
    codeAccepted: 'Grazie. Il tuo numero di telefono è verificato.',
    tooManyWrong: 'Troppi codici errati. Arrivederci.',
    noInput: 'Non abbiamo ricevuto alcuna risposta.',
    approvePayment: 'Ti viene chiesto di approvare un pagamento di {amount} a {payee}.',
    approveSignIn: 'Un accesso al tuo account attende la tua approvazione.',
    pressOneToApprove: 'Per approvare, premi 1. Per rifiutare, premi un altro tasto.',
    enterNumberToApprove: 'Per approvare, inserisci le due cifre mostrate sullo schermo. Per rifiutare, premi il tasto asterisco.',
    approved: 'Approvato. Grazie. Arrivederci.',
    denied: 'Rifiutato. Se non eri tu, cambia la password. Arrivederci.',
    noLongerValid: 'Questa richiesta non è più valida. Arrivederci.',
    flashAnswered: 'Questa chiamata verifica solo il tuo numero. Puoi riagganciare. Arrivederci.',
    sayPassPhrase: 'Dopo il segnale, pronuncia la tua frase segreta.',
    sayItAgain: 'Grazie. Ancora una volta, dopo il segnale.',
    recordAgain: 'Non ti abbiamo sentito bene. Riprova dopo il segnale.',
    voiceprintReady: 'La tua impronta vocale è pronta. Arrivederci.',
    voiceMatched: 'Grazie. La tua voce è verificata. Arrivederci.',
    voiceNotMatched: 'La tua voce non corrisponde. Arrivederci.',
  },
  nl: {
    pressOneToRepeat: 'Druk op 1 om de code nog eens te horen.',
    enterCode: 'Voer de code in die op uw scherm staat.',
    wrongCode: 'Die code is niet juist.',
    codeAccepted: 'Dank u. Uw telefoonnummer is bevestigd.',
    tooManyWrong: 'Te veel verkeerde codes. Tot ziens.',
    noInput: 'We hebben geen invoer ontvangen.',
    approvePayment: 'U wordt gevraagd een betaling van {amount} aan {payee} goed te keuren.',
    approveSignIn: 'Een aanmelding op uw account wacht op uw goedkeuring.',
    pressOneToApprove: 'Druk op 1 om goed te keuren. Druk op een andere toets om te weigeren.',
    enterNumberToApprove: 'Voer de twee cijfers op uw scherm in om goed te keuren. Druk op het sterretje om te weigeren.',
    approved: 'Goedgekeurd. Dank u. Tot ziens.',
    denied: 'Geweigerd. Was u dit niet, wijzig dan uw wachtwoord. Tot ziens.',
    noLongerValid: 'Dit verzoek is niet meer geldig. Tot ziens.',
    flashAnswered: 'Deze oproep bevestigt alleen uw nummer. U kunt nu ophangen. Tot ziens.',
    sayPassPhrase: 'Zeg na de piep uw wachtzin.',
    sayItAgain: 'Dank u. Nog een keer, na de piep.',
    recordAgain: 'We konden u niet goed verstaan. Probeer het opnieuw na de piep.',
    voiceprintReady: 'Uw stemafdruk is klaar. Tot ziens.',
    voiceMatched: 'Dank u. Uw stem is bevestigd. Tot ziens.',
    voiceNotMatched: 'Uw stem komt niet overeen. Tot ziens.',
  },
};
