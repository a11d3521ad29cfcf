import type { Messages } from './i18n.ts';

/*
 * The enrollment hub's words (enroll-pages.ts, hosted-enrollment.ts, assets/handoff-enroll-push.js),
 * in the register of a bank's sign-in page: German "Sie", French "vous", Spanish "usted". French puts
 * a narrow no-break space (U+202F) before : ; ? ! and inside « ».
 */

type PageKey =
  | 'hubTitle'
  | 'hubLead'
  | 'currentTitle'
  | 'noneYet'
  | 'factorAdded'
  | 'recoveryStatus'
  | 'totpTitle'
  | 'totpHint'
  | 'totpButton'
  | 'pushTitle'
  | 'pushHint'
  | 'pushButton'
  | 'passkeyTitle'
  | 'passkeyHint'
  | 'passkeyButton'
  | 'voiceprintTitle'
  | 'voiceprintHint'
  | 'voiceprintButton'
  | 'recoveryTitle'
  | 'recoveryHint'
  | 'recoveryKeepSafe'
  | 'recoveryReplaceWarning'
  | 'recoveryButtonNew'
  | 'recoveryButtonReplace'
  | 'phoneTitle'
  | 'phoneHint'
  | 'phoneConfirmed'
  | 'phoneLabel'
  | 'phoneSendBy'
  | 'channelSms'
  | 'channelCall'
  | 'phoneButton'
  | 'done'
  | 'cancel'
  | 'backToHub'
  | 'savedBackToHub'
  | 'totpLead'
  | 'totpQrLabel'
  | 'totpCantScan'
  | 'totpCopyLink'
  | 'totpLinkLabel'
  | 'totpCodeLabel'
  | 'totpSubmit'
  | 'pushLead'
  | 'pushQrLabel'
  | 'pushTokenLabel'
  | 'pushTokenHint'
  | 'pushWaiting'
  | 'pushCheck'
  | 'pushSetUpContinuing'
  | 'pushTokenExpired'
  | 'pushEnrolledWaiting'
  | 'pushCheckFailed'
  | 'codesTitle'
  | 'codesSaveNow'
  | 'codesReplaced'
  | 'codesCount'
  | 'phonePageTitle'
  | 'phoneLeadSms'
  | 'phoneLeadCall'
  | 'phoneCodeLabel'
  | 'phoneCodeSubmit'
  | 'accountIs'
  | 'trustedPhone'
  | 'trustedPhoneHint'
  | 'renameButton'
  | 'renameNamed'
  | 'renameLabel'
  | 'renameSave'
  | 'removeButton'
  | 'removeNamed'
  | 'removeTitle'
  | 'removeLead'
  | 'removeConfirm'
  | 'removeKeep';

/**
 * The hub's pages. `{number}` in `phoneConfirmed` / `phoneLead*` and `{phone}` / `{command}` in
 * `pushTokenHint` are markup slots the page fills after escaping the text.
 */
export const ENROLL_PAGE_MESSAGES: Messages<PageKey> = {
  en: {
    hubTitle: 'Your sign-in methods',
    hubLead: 'Set up how you confirm it’s you when you sign in to {app}.',
    currentTitle: 'Your methods',
    noneYet: 'None yet.',
    factorAdded: '{type} · added {date}',
    recoveryStatus: 'Recovery codes: {remaining} of {total} unused.',
    totpTitle: 'Authenticator app',
    totpHint: 'Scan a QR code with an app such as Google Authenticator, Authy or FreeOTP, then type the code it shows.',
    totpButton: 'Add an authenticator app',
    pushTitle: 'Push device',
    pushHint: 'Approve sign-ins on your phone: link the Verity authenticator (or the virtual phone) with a one-time token.',
    pushButton: 'Add a push device',
    passkeyTitle: 'Passkey',
    passkeyHint: 'Sign in with your fingerprint, face or screen lock, or a security key.',
    passkeyButton: 'Add a passkey',
    voiceprintTitle: 'Voiceprint',
    voiceprintHint: 'Say a short phrase three times into your microphone, so your voice can confirm it’s you here or on a call.',
    voiceprintButton: 'Record my voice',
    recoveryTitle: 'Recovery codes',
    recoveryHint: 'Single-use codes for when you lose your device.',
    recoveryKeepSafe: 'Keep them somewhere safe.',
    recoveryReplaceWarning: 'A new set replaces your current codes: the old ones stop working.',
    recoveryButtonNew: 'Get recovery codes',
    recoveryButtonReplace: 'Replace my recovery codes',
    phoneTitle: 'Phone number',
    phoneHint: '{app} can send you codes. We confirm the number with a code first.',
    phoneConfirmed: 'Confirmed: {number}. Add another number to replace it.',
    phoneLabel: 'Your phone number',
    phoneSendBy: 'Send the code by',
    channelSms: 'Text message',
    channelCall: 'Phone call',
    phoneButton: 'Send a code',
    done: 'Done — back to {app}',
    cancel: 'Cancel and go back to {app}',
    backToHub: 'Back to my sign-in methods',
    savedBackToHub: 'I saved them — back to my sign-in methods',
    totpLead: 'Scan this QR code with your authenticator app, then enter the {digits}-digit code it shows.',
    totpQrLabel: 'QR code for your authenticator app',
    totpCantScan: 'Can’t scan? Type this key into the app (time-based):',
    totpCopyLink: 'Copy the setup link instead',
    totpLinkLabel: 'Setup link (otpauth://)',
    totpCodeLabel: 'Code from the app',
    totpSubmit: 'Verify and add',
    pushLead: 'Link your authenticator to {app}, then confirm here.',
    pushQrLabel: 'QR code of the enrollment token',
    pushTokenLabel: ({ minutes }) => `Enrollment token (single use, valid ${minutes} more minute${minutes === 1 ? '' : 's'})`,
    pushTokenHint: 'Paste it into the push authenticator of the virtual phone ({phone}), or run {command} and paste it there. Treat it like a password: it links a device to your account.',
    pushWaiting: 'Waiting for your device…',
    pushCheck: 'My device is set up — check',
    pushSetUpContinuing: 'Your device is set up. Continuing…',
    pushTokenExpired: 'The token expired.',
    pushEnrolledWaiting: 'Your device enrolled; waiting for it to confirm…',
    pushCheckFailed: 'Could not check automatically. Use the button once your device is set up.',
    codesTitle: 'Your recovery codes',
    codesSaveNow: 'Save these codes now: they are shown only once. Each works once.',
    codesReplaced: 'Your previous recovery codes no longer work.',
    codesCount: ({ count }) => `${count} code${count === 1 ? '' : 's'}`,
    phonePageTitle: 'Confirm your phone number',
    phoneLeadSms: 'We texted a code to {number}.',
    phoneLeadCall: 'We are calling {number} to read you a code.',
    phoneCodeLabel: 'Code',
    phoneCodeSubmit: 'Confirm',
    accountIs: 'Account: {name}',
    trustedPhone: 'Phone number {number}',
    trustedPhoneHint: 'Codes by text message or call. {app} manages this number.',
    renameButton: 'Rename',
    renameNamed: 'Rename {name}',
    renameLabel: 'New name for “{name}”',
    renameSave: 'Save the name',
    removeButton: 'Remove',
    removeNamed: 'Remove {name}',
    removeTitle: 'Remove this sign-in method?',
    removeLead: 'You will no longer be able to sign in to {app} with “{name}” ({type}).',
    removeConfirm: 'Remove “{name}”',
    removeKeep: 'Keep it — back to my sign-in methods',
  },
  de: {
    hubTitle: 'Ihre Anmeldemethoden',
    hubLead: 'Legen Sie fest, wie Sie bei der Anmeldung bei {app} bestätigen, dass Sie es sind.',
    currentTitle: 'Ihre Methoden',
    noneYet: 'Noch keine.',
    factorAdded: '{type} · hinzugefügt am {date}',
    recoveryStatus: 'Wiederherstellungscodes: {remaining} von {total} unbenutzt.',
    totpTitle: 'Authenticator-App',
    totpHint: 'Scannen Sie einen QR-Code mit einer App wie Google Authenticator, Authy oder FreeOTP und geben Sie dann den angezeigten Code ein.',
    totpButton: 'Authenticator-App hinzufügen',
    pushTitle: 'Push-Gerät',
    pushHint: 'Bestätigen Sie Anmeldungen auf Ihrem Telefon: Verknüpfen Sie den Verity-Authenticator (oder das virtuelle Telefon) mit einem Einmal-Token.',
    pushButton: 'Push-Gerät hinzufügen',
    passkeyTitle: 'Passkey',
    passkeyHint: 'Melden Sie sich mit Fingerabdruck, Gesichtserkennung, Displaysperre oder einem Sicherheitsschlüssel an.',
    passkeyButton: 'Passkey hinzufügen',
    voiceprintTitle: 'Stimmabdruck',
    voiceprintHint: 'Sprechen Sie einen kurzen Satz dreimal in Ihr Mikrofon, damit Ihre Stimme hier oder am Telefon bestätigen kann, dass Sie es sind.',
    voiceprintButton: 'Meine Stimme aufnehmen',
    recoveryTitle: 'Wiederherstellungscodes',
    recoveryHint: 'Einmal-Codes für den Fall, dass Sie Ihr Gerät verlieren.',
    recoveryKeepSafe: 'Bewahren Sie sie an einem sicheren Ort auf.',
    recoveryReplaceWarning: 'Neue Codes ersetzen Ihre aktuellen: Die alten funktionieren dann nicht mehr.',
    recoveryButtonNew: 'Wiederherstellungscodes erstellen',
    recoveryButtonReplace: 'Meine Wiederherstellungscodes ersetzen',
    phoneTitle: 'Telefonnummer',
    phoneHint: '{app} kann Ihnen Codes senden. Wir bestätigen die Nummer zuerst mit einem Code.',
    phoneConfirmed: 'Bestätigt: {number}. Fügen Sie eine andere Nummer hinzu, um sie zu ersetzen.',
    phoneLabel: 'Ihre Telefonnummer',
    phoneSendBy: 'Code senden per',
    channelSms: 'SMS',
    channelCall: 'Anruf',
    phoneButton: 'Code senden',
    done: 'Fertig – zurück zu {app}',
    cancel: 'Abbrechen und zurück zu {app}',
    backToHub: 'Zurück zu meinen Anmeldemethoden',
    savedBackToHub: 'Gespeichert – zurück zu meinen Anmeldemethoden',
    totpLead: 'Scannen Sie diesen QR-Code mit Ihrer Authenticator-App und geben Sie dann den angezeigten {digits}-stelligen Code ein.',
    totpQrLabel: 'QR-Code für Ihre Authenticator-App',
    totpCantScan: 'Scannen nicht möglich? Geben Sie diesen Schlüssel in der App ein (zeitbasiert):',
    totpCopyLink: 'Stattdessen den Einrichtungslink kopieren',
    totpLinkLabel: 'Einrichtungslink (otpauth://)',
    totpCodeLabel: 'Code aus der App',
    totpSubmit: 'Prüfen und hinzufügen',
    pushLead: 'Verknüpfen Sie Ihren Authenticator mit {app} und bestätigen Sie dann hier.',
    pushQrLabel: 'QR-Code des Registrierungs-Tokens',
    pushTokenLabel: ({ minutes }) => `Registrierungs-Token (einmalig, noch ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} gültig)`,
    pushTokenHint: 'Fügen Sie ihn in den Push-Authenticator des virtuellen Telefons ({phone}) ein, oder führen Sie {command} aus und fügen Sie ihn dort ein. Behandeln Sie ihn wie ein Passwort: Er verknüpft ein Gerät mit Ihrem Konto.',
    pushWaiting: 'Warten auf Ihr Gerät …',
    pushCheck: 'Mein Gerät ist eingerichtet – prüfen',
    pushSetUpContinuing: 'Ihr Gerät ist eingerichtet. Es geht weiter …',
    pushTokenExpired: 'Der Token ist abgelaufen.',
    pushEnrolledWaiting: 'Ihr Gerät ist registriert. Warten auf seine Bestätigung …',
    pushCheckFailed: 'Die automatische Prüfung ist nicht möglich. Verwenden Sie die Schaltfläche, sobald Ihr Gerät eingerichtet ist.',
    codesTitle: 'Ihre Wiederherstellungscodes',
    codesSaveNow: 'Speichern Sie diese Codes jetzt: Sie werden nur einmal angezeigt. Jeder Code funktioniert nur einmal.',
    codesReplaced: 'Ihre bisherigen Wiederherstellungscodes funktionieren nicht mehr.',
    codesCount: ({ count }) => `${count} ${count === 1 ? 'Code' : 'Codes'}`,
    phonePageTitle: 'Bestätigen Sie Ihre Telefonnummer',
    phoneLeadSms: 'Wir haben einen Code per SMS an {number} gesendet.',
    phoneLeadCall: 'Wir rufen {number} an, um Ihnen einen Code vorzulesen.',
    phoneCodeLabel: 'Code',
    phoneCodeSubmit: 'Bestätigen',
    accountIs: 'Konto: {name}',
    trustedPhone: 'Telefonnummer {number}',
    trustedPhoneHint: 'Codes per SMS oder Anruf. {app} verwaltet diese Nummer.',
    renameButton: 'Umbenennen',
    renameNamed: '{name} umbenennen',
    renameLabel: 'Neuer Name für „{name}“',
    renameSave: 'Namen speichern',
    removeButton: 'Entfernen',
    removeNamed: '{name} entfernen',
    removeTitle: 'Diese Anmeldemethode entfernen?',
    removeLead: 'Sie können sich dann nicht mehr mit „{name}“ ({type}) bei {app} anmelden.',
    removeConfirm: '„{name}“ entfernen',
    removeKeep: 'Behalten – zurück zu meinen Anmeldemethoden',
  },
  fr: {
    hubTitle: 'Vos méthodes de connexion',
    hubLead: 'Choisissez comment vous confirmez votre identité lorsque vous vous connectez à {app}.',
    currentTitle: 'Vos méthodes',
    noneYet: 'Aucune pour le moment.',
    factorAdded: '{type} · depuis le {date}',
    recoveryStatus: 'Codes de récupération\u202f: {remaining} sur {total} non utilisés.',
    totpTitle: 'Application d’authentification',
    totpHint: 'Scannez un code QR avec une application comme Google Authenticator, Authy ou FreeOTP, puis saisissez le code affiché.',
    totpButton: 'Ajouter une application d’authentification',
    pushTitle: 'Appareil push',
    pushHint: 'Approuvez les connexions sur votre téléphone\u202f: associez l’authentificateur Verity (ou le téléphone virtuel) avec un jeton à usage unique.',
    pushButton: 'Ajouter un appareil push',
    passkeyTitle: 'Clé d’accès',
    passkeyHint: 'Connectez-vous avec votre empreinte digitale, votre visage, le verrouillage de l’écran ou une clé de sécurité.',
    passkeyButton: 'Ajouter une clé d’accès',
    voiceprintTitle: 'Empreinte vocale',
    voiceprintHint: 'Prononcez trois fois une courte phrase dans votre micro, pour que votre voix puisse confirmer votre identité ici ou lors d’un appel.',
    voiceprintButton: 'Enregistrer ma voix',
    recoveryTitle: 'Codes de récupération',
    recoveryHint: 'Des codes à usage unique, pour le cas où vous perdriez votre appareil.',
    recoveryKeepSafe: 'Conservez-les en lieu sûr.',
    recoveryReplaceWarning: 'Un nouveau jeu remplace vos codes actuels\u202f: les anciens ne fonctionneront plus.',
    recoveryButtonNew: 'Obtenir des codes de récupération',
    recoveryButtonReplace: 'Remplacer mes codes de récupération',
    phoneTitle: 'Numéro de téléphone',
    phoneHint: '{app} peut vous envoyer des codes. Nous confirmons d’abord le numéro avec un code.',
    phoneConfirmed: 'Confirmé\u202f: {number}. Ajoutez un autre numéro pour le remplacer.',
    phoneLabel: 'Votre numéro de téléphone',
    phoneSendBy: 'Recevoir le code par',
    channelSms: 'SMS',
    channelCall: 'Appel',
    phoneButton: 'Envoyer un code',
    done: 'Terminé — retour à {app}',
    cancel: 'Annuler et revenir à {app}',
    backToHub: 'Retour à mes méthodes de connexion',
    savedBackToHub: 'Je les ai enregistrés — retour à mes méthodes de connexion',
    totpLead: 'Scannez ce code QR avec votre application d’authentification, puis saisissez le code à {digits} chiffres qu’elle affiche.',
    totpQrLabel: 'Code QR pour votre application d’authentification',
    totpCantScan: 'Impossible de scanner\u202f? Saisissez cette clé dans l’application (basée sur le temps)\u202f:',
    totpCopyLink: 'Copier plutôt le lien de configuration',
    totpLinkLabel: 'Lien de configuration (otpauth://)',
    totpCodeLabel: 'Code de l’application',
    totpSubmit: 'Vérifier et ajouter',
    pushLead: 'Associez votre authentificateur à {app}, puis confirmez ici.',
    pushQrLabel: 'Code QR du jeton d’enregistrement',
    pushTokenLabel: ({ minutes }) => `Jeton d’enregistrement (usage unique, valable encore ${minutes} minute${Number(minutes) > 1 ? 's' : ''})`,
    pushTokenHint: 'Collez-le dans l’authentificateur push du téléphone virtuel ({phone}), ou lancez {command} et collez-le à cet endroit. Traitez-le comme un mot de passe\u202f: il associe un appareil à votre compte.',
    pushWaiting: 'En attente de votre appareil…',
    pushCheck: 'Mon appareil est configuré — vérifier',
    pushSetUpContinuing: 'Votre appareil est configuré. Un instant…',
    pushTokenExpired: 'Le jeton a expiré.',
    pushEnrolledWaiting: 'Votre appareil est enregistré. En attente de sa confirmation…',
    pushCheckFailed: 'Impossible de vérifier automatiquement. Utilisez le bouton une fois votre appareil configuré.',
    codesTitle: 'Vos codes de récupération',
    codesSaveNow: 'Enregistrez ces codes maintenant\u202f: ils ne sont affichés qu’une seule fois. Chacun ne fonctionne qu’une fois.',
    codesReplaced: 'Vos anciens codes de récupération ne fonctionnent plus.',
    codesCount: ({ count }) => `${count} code${Number(count) > 1 ? 's' : ''}`,
    phonePageTitle: 'Confirmez votre numéro de téléphone',
    phoneLeadSms: 'Nous avons envoyé un code par SMS au {number}.',
    phoneLeadCall: 'Nous appelons le {number} pour vous lire un code.',
    phoneCodeLabel: 'Code',
    phoneCodeSubmit: 'Confirmer',
    accountIs: 'Compte\u202f: {name}',
    trustedPhone: 'Numéro de téléphone {number}',
    trustedPhoneHint: 'Codes par SMS ou par appel. {app} gère ce numéro.',
    renameButton: 'Renommer',
    renameNamed: 'Renommer {name}',
    renameLabel: 'Nouveau nom pour «\u202f{name}\u202f»',
    renameSave: 'Enregistrer le nom',
    removeButton: 'Supprimer',
    removeNamed: 'Supprimer {name}',
    removeTitle: 'Supprimer cette méthode de connexion\u202f?',
    removeLead: 'Vous ne pourrez plus vous connecter à {app} avec «\u202f{name}\u202f» ({type}).',
    removeConfirm: 'Supprimer «\u202f{name}\u202f»',
    removeKeep: 'La garder — retour à mes méthodes de connexion',
  },
  es: {
    hubTitle: 'Sus métodos de inicio de sesión',
    hubLead: 'Configure cómo confirma su identidad cuando inicia sesión en {app}.',
    currentTitle: 'Sus métodos',
    noneYet: 'Todavía ninguno.',
    factorAdded: '{type} · desde el {date}',
    recoveryStatus: 'Códigos de recuperación: {remaining} de {total} sin usar.',
    totpTitle: 'Aplicación de autenticación',
    totpHint: 'Escanee un código QR con una aplicación como Google Authenticator, Authy o FreeOTP y escriba el código que muestra.',
    totpButton: 'Añadir una aplicación de autenticación',
    pushTitle: 'Dispositivo push',
    pushHint: 'Apruebe los inicios de sesión en su teléfono: vincule el autenticador de Verity (o el teléfono virtual) con un token de un solo uso.',
    pushButton: 'Añadir un dispositivo push',
    passkeyTitle: 'Llave de acceso',
    passkeyHint: 'Inicie sesión con su huella digital, su rostro, el bloqueo de pantalla o una llave de seguridad.',
    passkeyButton: 'Añadir una llave de acceso',
    voiceprintTitle: 'Huella de voz',
    voiceprintHint: 'Diga una frase corta tres veces al micrófono, para que su voz pueda confirmar su identidad aquí o en una llamada.',
    voiceprintButton: 'Grabar mi voz',
    recoveryTitle: 'Códigos de recuperación',
    recoveryHint: 'Códigos de un solo uso por si pierde su dispositivo.',
    recoveryKeepSafe: 'Guárdelos en un lugar seguro.',
    recoveryReplaceWarning: 'Un nuevo conjunto sustituye a sus códigos actuales: los anteriores dejarán de funcionar.',
    recoveryButtonNew: 'Obtener códigos de recuperación',
    recoveryButtonReplace: 'Sustituir mis códigos de recuperación',
    phoneTitle: 'Número de teléfono',
    phoneHint: '{app} puede enviarle códigos. Primero confirmamos el número con un código.',
    phoneConfirmed: 'Confirmado: {number}. Añada otro número para sustituirlo.',
    phoneLabel: 'Su número de teléfono',
    phoneSendBy: 'Enviar el código por',
    channelSms: 'SMS',
    channelCall: 'Llamada',
    phoneButton: 'Enviar un código',
    done: 'Listo — volver a {app}',
    cancel: 'Cancelar y volver a {app}',
    backToHub: 'Volver a mis métodos de inicio de sesión',
    savedBackToHub: 'Ya los he guardado — volver a mis métodos de inicio de sesión',
    totpLead: 'Escanee este código QR con su aplicación de autenticación y escriba el código de {digits} dígitos que muestra.',
    totpQrLabel: 'Código QR para su aplicación de autenticación',
    totpCantScan: '¿No puede escanearlo? Escriba esta clave en la aplicación (basada en el tiempo):',
    totpCopyLink: 'Copiar el enlace de configuración en su lugar',
    totpLinkLabel: 'Enlace de configuración (otpauth://)',
    totpCodeLabel: 'Código de la aplicación',
    totpSubmit: 'Verificar y añadir',
    pushLead: 'Vincule su autenticador con {app} y confirme aquí.',
    pushQrLabel: 'Código QR del token de registro',
    pushTokenLabel: ({ minutes }) => `Token de registro (de un solo uso, válido ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'} más)`,
    pushTokenHint: 'Péguelo en el autenticador push del teléfono virtual ({phone}), o ejecute {command} y péguelo allí. Trátelo como una contraseña: vincula un dispositivo a su cuenta.',
    pushWaiting: 'Esperando a su dispositivo…',
    pushCheck: 'Mi dispositivo está configurado — comprobar',
    pushSetUpContinuing: 'Su dispositivo está configurado. Continuando…',
    pushTokenExpired: 'El token ha caducado.',
    pushEnrolledWaiting: 'Su dispositivo se ha registrado. Esperando su confirmación…',
    pushCheckFailed: 'No se pudo comprobar automáticamente. Use el botón cuando su dispositivo esté configurado.',
    codesTitle: 'Sus códigos de recuperación',
    codesSaveNow: 'Guarde estos códigos ahora: solo se muestran una vez. Cada uno funciona una sola vez.',
    codesReplaced: 'Sus códigos de recuperación anteriores ya no funcionan.',
    codesCount: ({ count }) => `${count} ${count === 1 ? 'código' : 'códigos'}`,
    phonePageTitle: 'Confirme su número de teléfono',
    phoneLeadSms: 'Le hemos enviado un código por SMS al {number}.',
    phoneLeadCall: 'Le estamos llamando al {number} para leerle un código.',
    phoneCodeLabel: 'Código',
    phoneCodeSubmit: 'Confirmar',
    accountIs: 'Cuenta: {name}',
    trustedPhone: 'Número de teléfono {number}',
    trustedPhoneHint: 'Códigos por SMS o llamada. {app} gestiona este número.',
    renameButton: 'Cambiar nombre',
    renameNamed: 'Cambiar el nombre de {name}',
    renameLabel: 'Nuevo nombre para «{name}»',
    renameSave: 'Guardar el nombre',
    removeButton: 'Eliminar',
    removeNamed: 'Eliminar {name}',
    removeTitle: '¿Eliminar este método de inicio de sesión?',
    removeLead: 'Ya no podrá iniciar sesión en {app} con «{name}» ({type}).',
    removeConfirm: 'Eliminar «{name}»',
    removeKeep: 'Conservarlo — volver a mis métodos de inicio de sesión',
  },
};

type NoticeKey =
  | 'serviceGone'
  | 'stepUpFirst'
  | 'phoneFirst'
  | 'granted'
  | 'alreadyFinished'
  | 'badSubject'
  | 'entityChanged'
  | 'notOfferedTotp'
  | 'notOfferedPush'
  | 'notOfferedRecovery'
  | 'notOfferedSms'
  | 'notOfferedCall'
  | 'totpFactorName'
  | 'pushFactorName'
  | 'totpCannotAdd'
  | 'totpNotOpen'
  | 'totpAdded'
  | 'totpFormat'
  | 'totpLocked'
  | 'totpWrong'
  | 'pushExpiring'
  | 'pushNoSetup'
  | 'pushAdded'
  | 'pushUnconfirmed'
  | 'pushExpired'
  | 'pushUnused'
  | 'chooseChannel'
  | 'phoneInvalid'
  | 'phoneTooMany'
  | 'smsUnavailable'
  | 'callUnavailable'
  | 'smsFailed'
  | 'callFailed'
  | 'phoneNoCode'
  | 'smsCodeFormat'
  | 'callCodeFormat'
  | 'phoneLocked'
  | 'phoneCodeGone'
  | 'phoneConfirmed'
  | 'phoneWrong'
  | 'phoneFailed'
  | 'finishFirst'
  | 'methodGone'
  | 'manageNeedsProof'
  | 'nameInvalid'
  | 'renamed'
  | 'lastMethod'
  | 'removed';

/** What the hub's steps say (hosted-enrollment.ts): notices, alerts and error pages. */
export const ENROLL_NOTICES: Messages<NoticeKey> = {
  en: {
    serviceGone: 'The application’s service no longer exists here. Start again from the application.',
    stepUpFirst: 'To add a sign-in method, first confirm it’s you with one you already have.',
    phoneFirst: 'To set up your sign-in methods, first confirm your phone number.',
    granted: 'Confirmed. You can now add sign-in methods.',
    alreadyFinished: 'This enrollment was already finished. Start again from the application to add more.',
    badSubject: 'This account’s name cannot hold sign-in methods here (an identity is 8 to 64 letters and digits, with single dashes between them). Ask the application’s support.',
    entityChanged: 'This account changed while you were setting it up. Start again from the application.',
    notOfferedTotp: 'The application does not offer authenticator apps for your account.',
    notOfferedPush: 'The application does not offer push devices for your account.',
    notOfferedRecovery: 'The application does not offer recovery codes for your account.',
    notOfferedSms: 'The application does not offer codes by text message for your account.',
    notOfferedCall: 'The application does not offer codes by phone call for your account.',
    totpFactorName: '{app} authenticator',
    pushFactorName: '{app} push',
    totpCannotAdd: 'An authenticator app cannot be added right now (too many sign-in methods?). Remove one in the application, or try again later.',
    totpNotOpen: 'That authenticator app set-up is no longer open. Add the app again.',
    totpAdded: 'Authenticator app added.',
    totpFormat: 'Enter the code your authenticator app shows: 6 to 8 digits.',
    totpLocked: 'Too many wrong codes: that authenticator app was not added. Add it again and scan the new QR code.',
    totpWrong: 'That code is not right. Check the app shows the account you just added, wait for a new code, and try again.',
    pushExpiring: 'This page is about to expire. Start again from the application to add a push device.',
    pushNoSetup: 'No push device set-up is open. Choose “Add a push device” first.',
    pushAdded: 'Push device added.',
    pushUnconfirmed: 'Your device enrolled but has not confirmed yet. Keep the authenticator open a moment, then check again.',
    pushExpired: 'The enrollment token expired before a device used it. Add the push device again for a new token.',
    pushUnused: 'No device has used the token yet. Paste it into your authenticator (or scan the code), then check again.',
    chooseChannel: 'Choose a text message or a call.',
    phoneInvalid: 'That phone number is not valid. Enter it in international format, with + and the country code, such as +44 7700 900123.',
    phoneTooMany: 'Too many codes were sent to that number. Try again later.',
    smsUnavailable: 'Text messages are not available right now. Try the other way.',
    callUnavailable: 'Calls are not available right now. Try the other way.',
    smsFailed: 'We could not text that number. Check it and try again.',
    callFailed: 'We could not call that number. Check it and try again.',
    phoneNoCode: 'No code was sent on this page. Add the phone number again.',
    smsCodeFormat: 'Enter the code we texted you: 4 to 10 digits.',
    callCodeFormat: 'Enter the code you heard on the call: 4 to 10 digits.',
    phoneLocked: 'Too many wrong codes: the number was not added. Ask for a new code.',
    phoneCodeGone: 'This code has expired or was already used. Ask for a new code.',
    phoneConfirmed: 'Phone number {number} confirmed. {app} receives it when you finish.',
    phoneWrong: 'That code is not right. Check it and try again.',
    phoneFailed: 'Too many wrong codes, or the code expired: the number was not added. Ask for a new code.',
    finishFirst: 'Add a sign-in method and confirm it (scan and enter a code, set up your device, or confirm a phone number) before you finish, or cancel.',
    methodGone: 'That sign-in method is not one of yours (any more). Your methods are listed below.',
    manageNeedsProof: 'To change a method you had before, start again from the application and confirm it’s you with one of your methods first.',
    nameInvalid: 'That name cannot be used. Choose up to 32 characters, with at most 3 digits and without links or symbols such as < > { }.',
    renamed: 'Renamed to “{name}”.',
    lastMethod: 'This is your only sign-in method, so it cannot be removed. Add another method first.',
    removed: '“{name}” removed.',
  },
  de: {
    serviceGone: 'Der Dienst der Anwendung existiert hier nicht mehr. Beginnen Sie erneut in der Anwendung.',
    stepUpFirst: 'Um eine Anmeldemethode hinzuzufügen, bestätigen Sie zuerst mit einer vorhandenen Methode, dass Sie es sind.',
    phoneFirst: 'Um Ihre Anmeldemethoden einzurichten, bestätigen Sie zuerst Ihre Telefonnummer.',
    granted: 'Bestätigt. Sie können jetzt Anmeldemethoden hinzufügen.',
    alreadyFinished: 'Diese Einrichtung wurde bereits abgeschlossen. Beginnen Sie erneut in der Anwendung, um weitere Methoden hinzuzufügen.',
    badSubject: 'Für den Namen dieses Kontos können hier keine Anmeldemethoden gespeichert werden (eine Identität besteht aus 8 bis 64 Buchstaben und Ziffern mit einzelnen Bindestrichen dazwischen). Wenden Sie sich an den Support der Anwendung.',
    entityChanged: 'Dieses Konto wurde während der Einrichtung geändert. Beginnen Sie erneut in der Anwendung.',
    notOfferedTotp: 'Die Anwendung bietet für Ihr Konto keine Authenticator-Apps an.',
    notOfferedPush: 'Die Anwendung bietet für Ihr Konto keine Push-Geräte an.',
    notOfferedRecovery: 'Die Anwendung bietet für Ihr Konto keine Wiederherstellungscodes an.',
    notOfferedSms: 'Die Anwendung bietet für Ihr Konto keine Codes per SMS an.',
    notOfferedCall: 'Die Anwendung bietet für Ihr Konto keine Codes per Anruf an.',
    totpFactorName: 'Authenticator für {app}',
    pushFactorName: 'Push für {app}',
    totpCannotAdd: 'Eine Authenticator-App kann gerade nicht hinzugefügt werden (zu viele Anmeldemethoden?). Entfernen Sie eine in der Anwendung oder versuchen Sie es später erneut.',
    totpNotOpen: 'Diese Einrichtung einer Authenticator-App ist nicht mehr offen. Fügen Sie die App erneut hinzu.',
    totpAdded: 'Authenticator-App hinzugefügt.',
    totpFormat: 'Geben Sie den Code ein, den Ihre Authenticator-App anzeigt: 6 bis 8 Ziffern.',
    totpLocked: 'Zu viele falsche Codes: Die Authenticator-App wurde nicht hinzugefügt. Fügen Sie sie erneut hinzu und scannen Sie den neuen QR-Code.',
    totpWrong: 'Dieser Code ist nicht richtig. Prüfen Sie, ob die App das gerade hinzugefügte Konto anzeigt, warten Sie auf einen neuen Code und versuchen Sie es erneut.',
    pushExpiring: 'Diese Seite läuft gleich ab. Beginnen Sie erneut in der Anwendung, um ein Push-Gerät hinzuzufügen.',
    pushNoSetup: 'Es ist keine Einrichtung eines Push-Geräts offen. Wählen Sie zuerst „Push-Gerät hinzufügen“.',
    pushAdded: 'Push-Gerät hinzugefügt.',
    pushUnconfirmed: 'Ihr Gerät ist registriert, hat aber noch nicht bestätigt. Lassen Sie den Authenticator einen Moment geöffnet und prüfen Sie dann erneut.',
    pushExpired: 'Der Registrierungs-Token ist abgelaufen, bevor ein Gerät ihn verwendet hat. Fügen Sie das Push-Gerät erneut hinzu, um einen neuen Token zu erhalten.',
    pushUnused: 'Noch kein Gerät hat den Token verwendet. Fügen Sie ihn in Ihren Authenticator ein (oder scannen Sie den Code) und prüfen Sie dann erneut.',
    chooseChannel: 'Wählen Sie SMS oder Anruf.',
    phoneInvalid: 'Diese Telefonnummer ist ungültig. Geben Sie sie im internationalen Format mit + und Ländervorwahl ein, zum Beispiel +44 7700 900123.',
    phoneTooMany: 'An diese Nummer wurden zu viele Codes gesendet. Versuchen Sie es später erneut.',
    smsUnavailable: 'SMS sind gerade nicht verfügbar. Versuchen Sie es bitte auf dem anderen Weg.',
    callUnavailable: 'Anrufe sind gerade nicht verfügbar. Versuchen Sie es bitte auf dem anderen Weg.',
    smsFailed: 'Wir konnten keine SMS an diese Nummer senden. Prüfen Sie die Nummer und versuchen Sie es erneut.',
    callFailed: 'Wir konnten diese Nummer nicht anrufen. Prüfen Sie die Nummer und versuchen Sie es erneut.',
    phoneNoCode: 'Auf dieser Seite wurde kein Code gesendet. Fügen Sie die Telefonnummer erneut hinzu.',
    smsCodeFormat: 'Geben Sie den Code aus unserer SMS ein: 4 bis 10 Ziffern.',
    callCodeFormat: 'Geben Sie den Code ein, den Sie im Anruf gehört haben: 4 bis 10 Ziffern.',
    phoneLocked: 'Zu viele falsche Codes: Die Nummer wurde nicht hinzugefügt. Fordern Sie einen neuen Code an.',
    phoneCodeGone: 'Dieser Code ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen Code an.',
    phoneConfirmed: 'Telefonnummer {number} bestätigt. {app} erhält sie, wenn Sie fertig sind.',
    phoneWrong: 'Dieser Code ist nicht richtig. Prüfen Sie ihn und versuchen Sie es erneut.',
    phoneFailed: 'Zu viele falsche Codes, oder der Code ist abgelaufen: Die Nummer wurde nicht hinzugefügt. Fordern Sie einen neuen Code an.',
    finishFirst: 'Fügen Sie eine Anmeldemethode hinzu und bestätigen Sie sie (Code scannen und eingeben, Gerät einrichten oder Telefonnummer bestätigen), bevor Sie fertig sind – oder brechen Sie ab.',
    methodGone: 'Diese Anmeldemethode gehört (nicht mehr) zu Ihnen. Ihre Methoden sind unten aufgeführt.',
    manageNeedsProof: 'Um eine bestehende Methode zu ändern, beginnen Sie erneut in der Anwendung und bestätigen Sie zuerst mit einer Ihrer Methoden, dass Sie es sind.',
    nameInvalid: 'Dieser Name ist nicht möglich. Wählen Sie bis zu 32 Zeichen, höchstens 3 Ziffern, ohne Links oder Zeichen wie < > { }.',
    renamed: 'Umbenannt in „{name}“.',
    lastMethod: 'Dies ist Ihre einzige Anmeldemethode und kann daher nicht entfernt werden. Fügen Sie zuerst eine andere Methode hinzu.',
    removed: '„{name}“ wurde entfernt.',
  },
  fr: {
    serviceGone: 'Le service de l’application n’existe plus ici. Recommencez depuis l’application.',
    stepUpFirst: 'Pour ajouter une méthode de connexion, confirmez d’abord votre identité avec une méthode que vous avez déjà.',
    phoneFirst: 'Pour configurer vos méthodes de connexion, confirmez d’abord votre numéro de téléphone.',
    granted: 'Identité confirmée. Vous pouvez maintenant ajouter des méthodes de connexion.',
    alreadyFinished: 'Cette configuration est déjà terminée. Recommencez depuis l’application pour ajouter d’autres méthodes.',
    badSubject: 'Le nom de ce compte ne permet pas d’enregistrer des méthodes de connexion ici (une identité compte de 8 à 64 lettres et chiffres, séparés par des tirets simples). Contactez l’assistance de l’application.',
    entityChanged: 'Ce compte a changé pendant sa configuration. Recommencez depuis l’application.',
    notOfferedTotp: 'L’application ne propose pas d’applications d’authentification pour votre compte.',
    notOfferedPush: 'L’application ne propose pas d’appareils push pour votre compte.',
    notOfferedRecovery: 'L’application ne propose pas de codes de récupération pour votre compte.',
    notOfferedSms: 'L’application ne propose pas de codes par SMS pour votre compte.',
    notOfferedCall: 'L’application ne propose pas de codes par appel pour votre compte.',
    totpFactorName: 'Authentificateur {app}',
    pushFactorName: 'Push {app}',
    totpCannotAdd: 'Impossible d’ajouter une application d’authentification pour le moment (trop de méthodes de connexion\u202f?). Supprimez-en une dans l’application, ou réessayez plus tard.',
    totpNotOpen: 'Cette configuration d’application d’authentification n’est plus ouverte. Ajoutez à nouveau l’application.',
    totpAdded: 'Application d’authentification ajoutée.',
    totpFormat: 'Saisissez le code affiché par votre application d’authentification\u202f: 6 à 8 chiffres.',
    totpLocked: 'Trop de codes erronés\u202f: cette application d’authentification n’a pas été ajoutée. Ajoutez-la à nouveau et scannez le nouveau code QR.',
    totpWrong: 'Ce code n’est pas correct. Vérifiez que l’application affiche le compte que vous venez d’ajouter, attendez un nouveau code et réessayez.',
    pushExpiring: 'Cette page va bientôt expirer. Recommencez depuis l’application pour ajouter un appareil push.',
    pushNoSetup: 'Aucune configuration d’appareil push n’est en cours. Choisissez d’abord «\u202fAjouter un appareil push\u202f».',
    pushAdded: 'Appareil push ajouté.',
    pushUnconfirmed: 'Votre appareil est enregistré mais n’a pas encore confirmé. Laissez l’authentificateur ouvert un instant, puis vérifiez à nouveau.',
    pushExpired: 'Le jeton d’enregistrement a expiré avant qu’un appareil ne l’utilise. Ajoutez à nouveau l’appareil push pour obtenir un nouveau jeton.',
    pushUnused: 'Aucun appareil n’a encore utilisé le jeton. Collez-le dans votre authentificateur (ou scannez le code), puis vérifiez à nouveau.',
    chooseChannel: 'Choisissez un SMS ou un appel.',
    phoneInvalid: 'Ce numéro de téléphone n’est pas valide. Saisissez-le au format international, avec + et l’indicatif du pays, par exemple +44 7700 900123.',
    phoneTooMany: 'Trop de codes ont été envoyés à ce numéro. Réessayez plus tard.',
    smsUnavailable: 'Les SMS ne sont pas disponibles pour le moment. Essayez l’autre moyen.',
    callUnavailable: 'Les appels ne sont pas disponibles pour le moment. Essayez l’autre moyen.',
    smsFailed: 'Nous n’avons pas pu envoyer de SMS à ce numéro. Vérifiez-le et réessayez.',
    callFailed: 'Nous n’avons pas pu appeler ce numéro. Vérifiez-le et réessayez.',
    phoneNoCode: 'Aucun code n’a été envoyé depuis cette page. Ajoutez à nouveau le numéro de téléphone.',
    smsCodeFormat: 'Saisissez le code reçu par SMS\u202f: 4 à 10 chiffres.',
    callCodeFormat: 'Saisissez le code entendu pendant l’appel\u202f: 4 à 10 chiffres.',
    phoneLocked: 'Trop de codes erronés\u202f: le numéro n’a pas été ajouté. Demandez un nouveau code.',
    phoneCodeGone: 'Ce code a expiré ou a déjà été utilisé. Demandez un nouveau code.',
    phoneConfirmed: 'Numéro de téléphone {number} confirmé. {app} le recevra lorsque vous aurez terminé.',
    phoneWrong: 'Ce code n’est pas correct. Vérifiez-le et réessayez.',
    phoneFailed: 'Trop de codes erronés, ou le code a expiré\u202f: le numéro n’a pas été ajouté. Demandez un nouveau code.',
    finishFirst: 'Ajoutez une méthode de connexion et confirmez-la (scannez et saisissez un code, configurez votre appareil ou confirmez un numéro de téléphone) avant de terminer, ou annulez.',
    methodGone: 'Cette méthode de connexion n’est pas (ou plus) la vôtre. Vos méthodes sont listées ci-dessous.',
    manageNeedsProof: 'Pour modifier une méthode existante, recommencez depuis l’application et confirmez d’abord votre identité avec l’une de vos méthodes.',
    nameInvalid: 'Ce nom n’est pas utilisable. Choisissez au plus 32 caractères, au plus 3 chiffres, sans liens ni symboles comme < > { }.',
    renamed: 'Renommée en «\u202f{name}\u202f».',
    lastMethod: 'C’est votre seule méthode de connexion\u202f: elle ne peut pas être supprimée. Ajoutez d’abord une autre méthode.',
    removed: '«\u202f{name}\u202f» a été supprimée.',
  },
  es: {
    serviceGone: 'El servicio de la aplicación ya no existe aquí. Vuelva a empezar desde la aplicación.',
    stepUpFirst: 'Para añadir un método de inicio de sesión, confirme primero su identidad con uno que ya tenga.',
    phoneFirst: 'Para configurar sus métodos de inicio de sesión, confirme primero su número de teléfono.',
    granted: 'Confirmado. Ya puede añadir métodos de inicio de sesión.',
    alreadyFinished: 'Esta configuración ya ha finalizado. Vuelva a empezar desde la aplicación para añadir más métodos.',
    badSubject: 'El nombre de esta cuenta no admite métodos de inicio de sesión aquí (una identidad tiene de 8 a 64 letras y dígitos, con guiones simples entre ellos). Consulte al soporte de la aplicación.',
    entityChanged: 'Esta cuenta cambió mientras la configuraba. Vuelva a empezar desde la aplicación.',
    notOfferedTotp: 'La aplicación no ofrece aplicaciones de autenticación para su cuenta.',
    notOfferedPush: 'La aplicación no ofrece dispositivos push para su cuenta.',
    notOfferedRecovery: 'La aplicación no ofrece códigos de recuperación para su cuenta.',
    notOfferedSms: 'La aplicación no ofrece códigos por SMS para su cuenta.',
    notOfferedCall: 'La aplicación no ofrece códigos por llamada para su cuenta.',
    totpFactorName: 'Autenticador de {app}',
    pushFactorName: 'Push de {app}',
    totpCannotAdd: 'No se puede añadir una aplicación de autenticación en este momento (¿demasiados métodos de inicio de sesión?). Elimine uno en la aplicación o inténtelo más tarde.',
    totpNotOpen: 'Esa configuración de la aplicación de autenticación ya no está abierta. Vuelva a añadir la aplicación.',
    totpAdded: 'Aplicación de autenticación añadida.',
    totpFormat: 'Escriba el código que muestra su aplicación de autenticación: de 6 a 8 dígitos.',
    totpLocked: 'Demasiados códigos incorrectos: esa aplicación de autenticación no se ha añadido. Vuelva a añadirla y escanee el nuevo código QR.',
    totpWrong: 'Ese código no es correcto. Compruebe que la aplicación muestra la cuenta que acaba de añadir, espere a un código nuevo y vuelva a intentarlo.',
    pushExpiring: 'Esta página está a punto de caducar. Vuelva a empezar desde la aplicación para añadir un dispositivo push.',
    pushNoSetup: 'No hay ninguna configuración de dispositivo push abierta. Elija primero «Añadir un dispositivo push».',
    pushAdded: 'Dispositivo push añadido.',
    pushUnconfirmed: 'Su dispositivo se ha registrado, pero aún no lo ha confirmado. Mantenga el autenticador abierto un momento y vuelva a comprobarlo.',
    pushExpired: 'El token de registro caducó antes de que un dispositivo lo usara. Vuelva a añadir el dispositivo push para obtener un token nuevo.',
    pushUnused: 'Ningún dispositivo ha usado el token todavía. Péguelo en su autenticador (o escanee el código) y vuelva a comprobarlo.',
    chooseChannel: 'Elija un SMS o una llamada.',
    phoneInvalid: 'Ese número de teléfono no es válido. Escríbalo en formato internacional, con + y el prefijo del país, por ejemplo +44 7700 900123.',
    phoneTooMany: 'Se han enviado demasiados códigos a ese número. Inténtelo más tarde.',
    smsUnavailable: 'Los SMS no están disponibles en este momento. Pruebe la otra opción.',
    callUnavailable: 'Las llamadas no están disponibles en este momento. Pruebe la otra opción.',
    smsFailed: 'No hemos podido enviar un SMS a ese número. Compruébelo y vuelva a intentarlo.',
    callFailed: 'No hemos podido llamar a ese número. Compruébelo y vuelva a intentarlo.',
    phoneNoCode: 'No se ha enviado ningún código desde esta página. Vuelva a añadir el número de teléfono.',
    smsCodeFormat: 'Escriba el código que le enviamos por SMS: de 4 a 10 dígitos.',
    callCodeFormat: 'Escriba el código que oyó en la llamada: de 4 a 10 dígitos.',
    phoneLocked: 'Demasiados códigos incorrectos: el número no se ha añadido. Solicite un código nuevo.',
    phoneCodeGone: 'Este código ha caducado o ya se ha usado. Solicite un código nuevo.',
    phoneConfirmed: 'Número de teléfono {number} confirmado. {app} lo recibirá cuando termine.',
    phoneWrong: 'Ese código no es correcto. Compruébelo y vuelva a intentarlo.',
    phoneFailed: 'Demasiados códigos incorrectos, o el código ha caducado: el número no se ha añadido. Solicite un código nuevo.',
    finishFirst: 'Añada un método de inicio de sesión y confírmelo (escanee e introduzca un código, configure su dispositivo o confirme un número de teléfono) antes de terminar, o cancele.',
    methodGone: 'Ese método de inicio de sesión no es (o ya no es) suyo. Sus métodos aparecen a continuación.',
    manageNeedsProof: 'Para cambiar un método que ya tenía, vuelva a empezar desde la aplicación y confirme primero su identidad con uno de sus métodos.',
    nameInvalid: 'Ese nombre no se puede usar. Elija hasta 32 caracteres, con 3 dígitos como máximo y sin enlaces ni símbolos como < > { }.',
    renamed: 'Nombre cambiado a «{name}».',
    lastMethod: 'Este es su único método de inicio de sesión, así que no se puede eliminar. Añada primero otro método.',
    removed: 'Se eliminó «{name}».',
  },
};
