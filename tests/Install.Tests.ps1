# The package as a user gets it: 'build.ps1 Package' wrote out/repository/NetNs.<version>.nupkg (build.ps1 Test
# packages before Pester and passes the folder in NETNS_REPOSITORY). Every PSResourceGet and NetNs command here runs
# in a fresh pwsh with a throwaway HOME: its repository store, its CurrentUser module path and its caches live in a
# temporary folder, so the user's own PSResourceGet configuration and modules are neither read nor changed.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Root = (Resolve-Path "$PSScriptRoot/..").Path
    $script:Manifest = Import-PowerShellDataFile (Join-Path $Root 'NetNs.psd1')
    $script:Version = [string]$Manifest.ModuleVersion
    $script:Repository = if ($env:NETNS_REPOSITORY) { $env:NETNS_REPOSITORY } else { Join-Path $Root 'out/repository' }
    $script:Nupkg = Join-Path $Repository "NetNs.$Version.nupkg"

    # The argv that starts this same pwsh ('pwsh', or 'dotnet pwsh.dll' for the dotnet tool).
    $exe = [Environment]::ProcessPath
    $script:Pwsh = @(if ((Split-Path -Leaf $exe) -eq 'pwsh') { $exe } else { $exe; Join-Path $PSHOME 'pwsh.dll' })
    if (-not (Test-Path $Nupkg)) {
        & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'build.ps1') Package | Out-Host
    }

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('netns-install-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    # A user's home (the repository is registered there) and an offline host's home (no repository at all).
    function New-Home([string] $Name) {
        $h = Join-Path $Work $Name
        # .NET hands PSResourceGet an empty path (the current directory) for a data folder that does not exist.
        foreach ($d in '.local/share/powershell/Modules', '.config', '.cache') { New-Item -ItemType Directory -Force -Path (Join-Path $h $d) | Out-Null }
        $h
    }
    $script:UserHome = New-Home 'user'
    $script:UserModules = Join-Path $UserHome '.local/share/powershell/Modules'
    $script:OfflineHome = New-Home 'offline'
    $script:Saved = Join-Path $Work 'saved'
    New-Item -ItemType Directory -Path $Saved | Out-Null

    # Runs a script in a fresh pwsh whose HOME (and XDG folders) is $HomePath and whose module path is $ModulePath
    # (pwsh adds its own folder for the modules it ships, PSResourceGet among them). Returns its output lines; the
    # exit code is in $LASTEXITCODE. The output goes to the Pester log too, as a user would see it.
    function Invoke-UserPwsh([string] $HomePath, [string] $ModulePath, [string] $Script) {
        $envArgs = @(
            "HOME=$HomePath", "XDG_DATA_HOME=$HomePath/.local/share", "XDG_CONFIG_HOME=$HomePath/.config",
            "XDG_CACHE_HOME=$HomePath/.cache", "PSModulePath=$ModulePath", 'NETNS_MODULE=', 'NO_COLOR=1')
        $out = @(& env @envArgs @Pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1 | ForEach-Object { "$_" })
        $out | ForEach-Object { Write-Host "    | $_" }
        $out
    }
    # The last output line of a script that ends with '... | ConvertTo-Json -Compress'.
    function Get-JsonResult([string[]] $Lines) { $Lines[-1] | ConvertFrom-Json }

    # The user's own PSResourceGet store, to show it is left as it was.
    $data = [Environment]::GetFolderPath('LocalApplicationData')
    $script:RealStore = if ($data) { Join-Path $data 'PSResourceGet/PSResourceRepository.xml' } else { Join-Path $HOME '.local/share/PSResourceGet/PSResourceRepository.xml' }
    $script:RealStoreBefore = if (Test-Path $RealStore) { (Get-FileHash $RealStore).Hash } else { 'absent' }

    $script:Ns = New-TestName 'pk'
    $script:Inner = New-TestName 'pki'
    $script:Peer = New-TestName 'pkp'
}

AfterAll {
    Remove-TestNamespace $Ns
    Remove-TestLink $Peer
    if ($Work -and (Test-Path $Work)) { Remove-Item $Work -Recurse -Force }
}

Describe 'The NetNs package (build.ps1 Package)' {
    It 'is a .nupkg of the manifest version with the fields the PowerShell Gallery requires and the whole module' {
        $Nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Nupkg)
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            $reader = [IO.StreamReader]::new($zip.GetEntry('NetNs.nuspec').Open())
            $nuspec = ([xml]$reader.ReadToEnd()).package.metadata
            $reader.Dispose()
        } finally { $zip.Dispose() }
        $nuspec.id | Should -Be 'NetNs'
        $nuspec.version | Should -Be $Version
        $nuspec.authors | Should -Not -BeNullOrEmpty
        $nuspec.description | Should -Be $Manifest.Description
        $nuspec.licenseUrl | Should -Be $Manifest.PrivateData.PSData.LicenseUri
        $nuspec.releaseNotes | Should -Not -BeNullOrEmpty
        $nuspec.tags -split ' ' | Should -Contain 'PSEdition_Core'
        $nuspec.tags -split ' ' | Should -Contain 'Linux'
        foreach ($f in 'NetNs.psd1', 'NetNs.dll', 'NetNs.Core.dll', 'NetNs.Format.ps1xml', 'en-US/NetNs.dll-Help.xml', 'en-US/about_NetNs.help.txt') {
            $entries | Should -Contain $f
        }
        # The changelog has this version's section (build.ps1 Package refuses to pack without one).
        @(Get-Content (Join-Path $Root 'CHANGELOG.md')) -match "^## \[$([regex]::Escape($Version))\] - " | Should -Not -BeNullOrEmpty
    }
}

Describe 'Installing NetNs with PSResourceGet, as a user would' {
    It 'Install-PSResource installs NetNs from the local repository into the CurrentUser module path' {
        $out = Invoke-UserPwsh $UserHome $UserModules @"
Register-PSResourceRepository -Name NetNsLocal -Uri '$($Repository -replace "'", "''")' -Trusted
Get-PSResourceRepository -Name NetNsLocal | Format-Table Name, Uri, Trusted -AutoSize | Out-String -Width 120
Install-PSResource NetNs -Repository NetNsLocal -Scope CurrentUser -PassThru | Format-Table Name, Version, Repository, InstalledLocation -AutoSize | Out-String -Width 200
Get-InstalledPSResource NetNs | Select-Object Name, @{ n = 'Version'; e = { [string]`$_.Version } }, InstalledLocation | ConvertTo-Json -Compress
"@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = Get-JsonResult $out
        $r.Name | Should -Be 'NetNs'
        $r.Version | Should -Be $Version
        $r.InstalledLocation | Should -Be $UserModules
        Join-Path $UserModules "NetNs/$Version/NetNs.psd1" | Should -Exist
        Join-Path $UserModules "NetNs/$Version/en-US/NetNs.dll-Help.xml" | Should -Exist
    }

    It 'a fresh pwsh finds NetNs by name, imports it by name and lists its commands with their help synopses' {
        $out = Invoke-UserPwsh $UserHome $UserModules @'
Get-Module NetNs -ListAvailable | Format-Table Name, Version, ModuleBase -AutoSize | Out-String -Width 200
Import-Module NetNs -PassThru | Format-Table Name, Version, ModuleType, @{ n = 'Commands'; e = { $_.ExportedCmdlets.Count } } -AutoSize | Out-String -Width 200
Get-Command -Module NetNs | Select-Object -First 5 | ForEach-Object { '{0,-28} {1}' -f $_.Name, (Get-Help $_.Name).Synopsis }
[pscustomobject]@{
    ListAvailable = @(Get-Module NetNs -ListAvailable | ForEach-Object ModuleBase)
    Imported      = (Get-Module NetNs).ModuleBase
    Commands      = @(Get-Command -Module NetNs | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Synopsis = (Get-Help $_.Name).Synopsis } })
} | ConvertTo-Json -Compress -Depth 4
'@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = Get-JsonResult $out
        $base = Join-Path $UserModules "NetNs/$Version"
        @($r.ListAvailable) | Should -Be @($base)
        $r.Imported | Should -Be $base
        @($r.Commands.Name | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
        foreach ($c in $r.Commands) {
            # Without help, Get-Help's synopsis is the syntax line, which starts with the command's name.
            $c.Synopsis | Should -Not -BeNullOrEmpty -Because $c.Name
            $c.Synopsis | Should -Not -BeLike "$($c.Name)*" -Because "$($c.Name) has a written synopsis"
        }
    }

    It 'the module imported by name runs a namespace/veth round trip and shows the help examples' {
        $out = Invoke-UserPwsh $UserHome $UserModules @"
Import-Module NetNs
New-NetNamespace $Ns | Add-VethPair -Name $Inner -PeerName $Peer | Format-Table -AutoSize | Out-String -Width 200
`$inner = Get-NetLink -Namespace $Ns -Name $Inner
`$peer = Get-NetLink -Name $Peer
`$inner, `$peer | Format-Table -AutoSize | Out-String -Width 200
Remove-NetNamespace $Ns -Confirm:`$false
`$help = Get-Help New-NetNamespace -Examples
`$help | Out-String -Width 120 | Select-String -Pattern 'Example 1' -SimpleMatch | ForEach-Object { `$_.Line.Trim() }
[pscustomobject]@{
    InnerNamespace = `$inner.Namespace; InnerPeer = `$inner.PeerName; PeerKind = `$peer.Kind
    NamespaceGone  = -not (Test-Path '/run/netns/$Ns')
    PeerGone       = -not (Test-Path '/sys/class/net/$Peer')
    Examples       = @(`$help.examples.example).Count
    FirstExample   = @(`$help.examples.example)[0].code
} | ConvertTo-Json -Compress
"@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = Get-JsonResult $out
        $r.InnerNamespace | Should -Be $Ns
        $r.InnerPeer | Should -Be $Peer
        $r.PeerKind | Should -Be 'veth'
        $r.NamespaceGone | Should -BeTrue
        $r.PeerGone | Should -BeTrue
        $r.Examples | Should -BeGreaterOrEqual 1
        $r.FirstExample | Should -Match 'New-NetNamespace'
    }

    It 'Uninstall-PSResource removes NetNs and leaves nothing behind' {
        $out = Invoke-UserPwsh $UserHome $UserModules @'
Uninstall-PSResource NetNs -Scope CurrentUser
[pscustomobject]@{
    Installed     = @(Get-InstalledPSResource NetNs -ErrorAction SilentlyContinue).Count
    ListAvailable = @(Get-Module NetNs -ListAvailable).Count
} | ConvertTo-Json -Compress
'@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = Get-JsonResult $out
        $r.Installed | Should -Be 0
        $r.ListAvailable | Should -Be 0
        @(Get-ChildItem -Force $UserModules) | Should -BeNullOrEmpty
    }

    It 'Save-PSResource saves NetNs for an offline host, which imports it by name from there' {
        $out = Invoke-UserPwsh $UserHome $UserModules @"
Save-PSResource NetNs -Repository NetNsLocal -Path '$($Saved -replace "'", "''")' -PassThru | Format-Table Name, Version, InstalledLocation -AutoSize | Out-String -Width 200
"@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        Join-Path $Saved "NetNs/$Version/NetNs.psd1" | Should -Exist

        # The offline host: no repository registered, only the saved folder on its module path.
        $out = Invoke-UserPwsh $OfflineHome $Saved @'
Import-Module NetNs -PassThru | Format-Table Name, Version, ModuleBase -AutoSize | Out-String -Width 200
[pscustomobject]@{
    Repositories = @(Get-PSResourceRepository | Where-Object Name -ne 'PSGallery').Count
    Imported     = (Get-Module NetNs).ModuleBase
    Commands     = @(Get-Command -Module NetNs).Count
    Help         = @((Get-Help Add-VethPair -Examples).examples.example).Count
} | ConvertTo-Json -Compress
'@
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = Get-JsonResult $out
        $r.Repositories | Should -Be 0
        $r.Imported | Should -Be (Join-Path $Saved "NetNs/$Version")
        $r.Commands | Should -Be @($Manifest.CmdletsToExport).Count
        $r.Help | Should -BeGreaterOrEqual 1
    }

    It "leaves the user's own PSResourceGet configuration as it was" {
        $after = if (Test-Path $RealStore) { (Get-FileHash $RealStore).Hash } else { 'absent' }
        $after | Should -Be $RealStoreBefore
        # Every store this file made is inside its throwaway homes.
        Join-Path $UserHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist
    }
}
