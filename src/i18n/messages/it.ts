import type { MessageCatalog } from './catalog-types.ts';

/** Italian: the verification message and the call flows only (the hosted pages fall back to English). */
export const it: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Il tuo codice di verifica {name} è: {code}',
  'verification.doNotShare': 'Non condividere questo codice con nessuno; i nostri dipendenti non te lo chiederanno mai.',
  'verification.voiceIntro': 'Buongiorno. Qui è {name}.',
  'verification.voiceCode': 'Il suo codice di verifica è {code}.',
  'verification.voiceRepeat': 'Ripeto, il suo codice è {code}.',
  'verification.voiceGoodbye': 'Arrivederci.',
  'verification.emailSubject': 'Il tuo codice di verifica {name}',
  'verification.emailBody': 'Il tuo codice di verifica {name} è: {code}',
  'verification.emailExpiry': 'Questo codice scade tra {minutes} minuti. Se non l\'hai richiesto, ignora questa email.',
  'verification.psd2': 'Questo codice approva un pagamento di {amount} a {payee}.',
  'verification.whatsapp': '{code} è il tuo codice di verifica.',
  'verification.whatsappSecurity': 'Per la tua sicurezza, non condividerlo.',
  'verification.whatsappExpiry': 'Questo codice scade tra {minutes} minuti.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Per riascoltare il codice, premi 1.',
  'voice.enterCode': 'Inserisci il codice mostrato sullo schermo.',
  'voice.wrongCode': 'Il codice non è corretto.',
  'voice.codeAccepted': 'Grazie. Il tuo numero di telefono è verificato.',
  'voice.tooManyWrong': 'Troppi codici errati. Arrivederci.',
  'voice.noInput': 'Non abbiamo ricevuto alcuna risposta.',
  'voice.approvePayment': 'Ti viene chiesto di approvare un pagamento di {amount} a {payee}.',
  'voice.approveSignIn': 'Un accesso al tuo account attende la tua approvazione.',
  'voice.pressOneToApprove': 'Per approvare, premi 1. Per rifiutare, premi un altro tasto.',
  'voice.enterNumberToApprove': 'Per approvare, inserisci le due cifre mostrate sullo schermo. Per rifiutare, premi il tasto asterisco.',
  'voice.approved': 'Approvato. Grazie. Arrivederci.',
  'voice.denied': 'Rifiutato. Se non eri tu, cambia la password. Arrivederci.',
  'voice.noLongerValid': 'Questa richiesta non è più valida. Arrivederci.',
  'voice.flashAnswered': 'Questa chiamata verifica solo il tuo numero. Puoi riagganciare. Arrivederci.',
  'voice.sayPassPhrase': 'Dopo il segnale, pronuncia la tua frase segreta.',
  'voice.sayItAgain': 'Grazie. Ancora una volta, dopo il segnale.',
  'voice.recordAgain': 'Non ti abbiamo sentito bene. Riprova dopo il segnale.',
  'voice.voiceprintReady': 'La tua impronta vocale è pronta. Arrivederci.',
  'voice.voiceMatched': 'Grazie. La tua voce è verificata. Arrivederci.',
  'voice.voiceNotMatched': 'La tua voce non corrisponde. Arrivederci.',
};
