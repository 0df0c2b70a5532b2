@{
    RootModule             = 'NetNs.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5b6f0c1e-7f43-4d8a-9a51-2e3c8d9b4a10'
    Author                 = 'NetNs developers'
    CompanyName            = 'NetNs'
    Copyright              = '(c) NetNs developers. MIT License.'
    Description            = 'Build and run Linux network labs from PowerShell: network namespaces, veth pairs, addresses, Open vSwitch bridges, ports and 802.1Q VLANs, DHCP, and commands run inside namespaces, as typed objects that pipe between cmdlets.'
    PowerShellVersion      = '7.4'
    CompatiblePSEditions   = @('Core')
    FormatsToProcess       = @('NetNs.Format.ps1xml')
    CmdletsToExport        = @(
        'New-NetNamespace', 'Get-NetNamespace', 'Remove-NetNamespace', 'Enter-NetNamespace',
        'Invoke-InNamespace',
        'Get-NetLink', 'Add-VethPair', 'Move-NetLink', 'Set-NetLink', 'Remove-NetLink',
        'Add-NetAddress', 'Get-NetAddress', 'Remove-NetAddress',
        'Add-NetNsRoute', 'Get-NetNsRoute', 'Remove-NetNsRoute', 'Set-NetNamespace',
        'Enable-NetNamespaceNat', 'Disable-NetNamespaceNat', 'Get-NetNamespaceNat',
        'Test-NetNamespaceConnection',
        'Set-NetNamespaceDns', 'Get-NetNamespaceDns',
        'Start-NetDhcpServer', 'Get-NetDhcpServer', 'Stop-NetDhcpServer', 'Get-NetDhcpLease', 'Get-NetDhcpServerLog',
        'Request-NetDhcpClientLease', 'Get-NetDhcpClientLease', 'Remove-NetDhcpClientLease',
        'New-OvsBridge', 'Get-OvsBridge', 'Remove-OvsBridge',
        'Connect-OvsPort', 'Disconnect-OvsPort', 'Get-OvsPort', 'Set-OvsVlan',
        'Set-OvsConnection', 'Get-OvsConnection',
        'New-NetLab', 'Get-NetLab', 'Get-NetLabState', 'Export-NetLab', 'Compare-NetLab', 'Remove-NetLab', 'Clear-NetLab',
        'Test-NetLabConnectivity', 'Export-NetLabDiagram', 'New-NetLabDefinition'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Linux', 'PSEdition_Core', 'network', 'netns', 'namespace', 'veth', 'OpenvSwitch', 'OVS', 'VLAN', 'DHCP', 'lab')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # The release notes of this version; CHANGELOG.md (shipped beside it in the repository) has every version.
            ReleaseNotes = @'
0.1.0: the first release. Cmdlets for network namespaces, veth pairs, links and addresses (in process over rtnetlink),
Open vSwitch bridges, ports and 802.1Q VLANs (over OVSDB JSON-RPC), DHCP servers and clients (dnsmasq, dhclient),
commands and shells inside namespaces, and labs: definitions built all-or-nothing, compared, drawn, tested and swept.
Offline help with examples that run as written. Installable with Install-PSResource from a NuGet package.
'@
        }
    }
}
